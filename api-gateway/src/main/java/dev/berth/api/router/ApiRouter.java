package dev.berth.api.router;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.JobBus;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes Docker API calls. Every route answers both under /v{version} and unversioned (an
 * unversioned call runs at the newest version); the version is checked once, here. Patterns
 * use {name} for one path segment and {name:.*} for the rest, because image names hold slashes.
 */
public final class ApiRouter implements Handler<HttpServerRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRouter.class);
    private static final Pattern VERSIONED = Pattern.compile("^/v([0-9]+\\.[0-9]+)(/.*)$");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)(:\\.\\*)?}");

    /** A route's work; failures thrown here become API errors. */
    @FunctionalInterface
    public interface RouteHandler {
        void handle(ApiRequest request) throws Exception;
    }

    private record Route(HttpMethod method, Pattern pattern, List<String> names, RouteHandler handler) {
    }

    private final List<Route> routes = new ArrayList<>();
    private final JobBus bus;
    private final Map<String, String> responseHeaders;

    public ApiRouter(JobBus bus, Map<String, String> responseHeaders) {
        this.bus = bus;
        this.responseHeaders = responseHeaders;
    }

    public ApiRouter get(String pattern, RouteHandler handler) {
        return add(HttpMethod.GET, pattern, handler);
    }

    public ApiRouter head(String pattern, RouteHandler handler) {
        return add(HttpMethod.HEAD, pattern, handler);
    }

    public ApiRouter post(String pattern, RouteHandler handler) {
        return add(HttpMethod.POST, pattern, handler);
    }

    public ApiRouter put(String pattern, RouteHandler handler) {
        return add(HttpMethod.PUT, pattern, handler);
    }

    public ApiRouter delete(String pattern, RouteHandler handler) {
        return add(HttpMethod.DELETE, pattern, handler);
    }

    public ApiRouter add(HttpMethod method, String pattern, RouteHandler handler) {
        List<String> names = new ArrayList<>();
        StringBuilder regex = new StringBuilder("^");
        Matcher m = PLACEHOLDER.matcher(pattern);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(pattern.substring(last, m.start())));
            regex.append(m.group(2) != null ? "(.+)" : "([^/]+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(pattern.substring(last))).append("/?$");
        routes.add(new Route(method, Pattern.compile(regex.toString()), names, handler));
        return this;
    }

    @Override
    public void handle(HttpServerRequest http) {
        responseHeaders.forEach(http.response()::putHeader);
        String path = http.path();
        ApiVersion version = ApiVersion.MAX;
        Matcher versioned = VERSIONED.matcher(path);
        try {
            if (versioned.matches()) {
                version = ApiVersion.parse(versioned.group(1));
                path = versioned.group(2);
                if (version.compareTo(ApiVersion.MIN) < 0) {
                    throw EngineException.invalid("client version " + version + " is too old. Minimum supported API version is "
                            + ApiVersion.MIN + ", please upgrade your client to a newer version");
                }
                if (version.compareTo(ApiVersion.MAX) > 0) {
                    throw EngineException.invalid("client version " + version
                            + " is too new. Maximum supported API version is " + ApiVersion.MAX);
                }
            }
            for (Route route : routes) {
                if (route.method() != http.method()) {
                    continue;
                }
                Matcher match = route.pattern().matcher(path);
                if (match.matches()) {
                    Map<String, String> values = new HashMap<>();
                    for (int i = 0; i < route.names().size(); i++) {
                        values.put(route.names().get(i), percentDecode(match.group(i + 1)));
                    }
                    ApiRequest request = new ApiRequest(http, version, values, bus);
                    if (LOG.isDebugEnabled()) {
                        LOG.debug("{} {}", http.method(), http.uri());
                    }
                    run(route.handler(), request);
                    return;
                }
            }
            throw new EngineException(ErrorKind.NOT_FOUND, "page not found");
        } catch (RuntimeException e) {
            HttpErrors.reply(http.response(), e);
        }
    }

    /** %XX escapes in a path segment, as UTF-8; '+' stays a plus in a path. */
    static String percentDecode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length()) {
                try {
                    bytes.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
                    i += 2;
                    continue;
                } catch (NumberFormatException e) {
                    throw EngineException.invalid("invalid escape in path: " + value);
                }
            }
            byte[] encoded = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            bytes.write(encoded, 0, encoded.length);
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void run(RouteHandler handler, ApiRequest request) {
        try {
            handler.handle(request);
        } catch (Exception e) {
            request.fail(e);
        }
    }
}
