package dev.berth.api.router;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.JobBus;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker API's routes on a Vert.x Web {@link Router}. Every route answers both under
 * /v{version} and unversioned (an unversioned call runs at the newest version); the version is
 * checked once, before any route. Patterns use {name} for one path segment and {name:.*} for the
 * rest, because image names hold slashes; values are percent-decoded, so %2F is a slash.
 *
 * <p>Route groups register here; {@link #installOn(Router)} puts the routes, the version check
 * and the one failure handler on a router that other surfaces (WebSocket, dashboard) can share.
 * No BodyHandler is installed: attach, exec and image load stream their bodies, and the routes
 * that read JSON read it through {@link ApiRequest#jsonBody()}, within {@link #jsonBodyLimit()}.
 */
public final class ApiRouter implements Handler<HttpServerRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRouter.class);
    private static final Pattern VERSIONED_PATH = Pattern.compile("^/v([0-9]+\\.[0-9]+)(?:/.*)?$");
    private static final String VERSION_KEY = "berth.apiVersion";
    private static final String VERSION_PREFIX = "(?:/v[0-9]+\\.[0-9]+)?";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)(:\\.\\*)?}");
    /** JSON bodies (create, exec) are small; anything larger is refused rather than buffered. */
    public static final long DEFAULT_JSON_BODY_LIMIT = 16L << 20;
    /** Statuses Vert.x Web reports without a failure of ours: no route, bad escapes, … */
    private static final int[] ROUTER_STATUSES = {400, 404, 405, 413, 414, 415, 431, 500};

    /** A route's work; failures thrown here become API errors. */
    @FunctionalInterface
    public interface RouteHandler {
        void handle(ApiRequest request) throws Exception;
    }

    private record Route(HttpMethod method, String pattern, String regex, List<String> names, RouteHandler handler) {
    }

    private final List<Route> routes = new ArrayList<>();
    private final JobBus bus;
    private final Map<String, String> responseHeaders;
    private long jsonBodyLimit = DEFAULT_JSON_BODY_LIMIT;
    private Router ownRouter;

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
        StringBuilder regex = new StringBuilder("^").append(VERSION_PREFIX);
        Matcher m = PLACEHOLDER.matcher(pattern);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(pattern.substring(last, m.start())));
            regex.append("(?<").append(m.group(1)).append(m.group(2) != null ? ">.+)" : ">[^/]+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(pattern.substring(last))).append("/?$");
        routes.add(new Route(method, pattern, regex.toString(), names, handler));
        return this;
    }

    /** The largest JSON body a route may read; a larger one is answered 413. */
    public ApiRouter jsonBodyLimit(long bytes) {
        this.jsonBodyLimit = bytes;
        return this;
    }

    public long jsonBodyLimit() {
        return jsonBodyLimit;
    }

    /**
     * Puts the API on a router: response headers and the version check for every request, the
     * registered routes, and Docker's JSON error for every failure and for unknown paths.
     * Register the route groups first.
     */
    public Router installOn(Router router) {
        router.route().handler(this::commonHeaders);
        // Matched here rather than by a regex route, whose regex would join every request's route name in /metrics.
        router.route().handler(ctx -> {
            // The raw path: a bad escape is for the routes after this one to answer, as 400.
            String path = ctx.request().path();
            Matcher prefix = path == null ? null : VERSIONED_PATH.matcher(path);
            if (prefix != null && prefix.matches()) {
                checkVersion(ctx, prefix.group(1));
            } else {
                ctx.next();
            }
        });
        for (Route route : routes) {
            // Named by Docker's path, which is what /metrics reports requests by.
            router.routeWithRegex(route.method(), route.regex()).setName(route.pattern()).handler(ctx -> run(route, ctx));
        }
        router.route().failureHandler(this::failed);
        for (int status : ROUTER_STATUSES) {
            router.errorHandler(status, ctx -> routerError(ctx, status));
        }
        return router;
    }

    /** Serves requests on a router of its own; a daemon shares one router through {@link #installOn}. */
    @Override
    public void handle(HttpServerRequest http) {
        ownRouter(Vertx.currentContext().owner()).handle(http);
    }

    private synchronized Router ownRouter(Vertx vertx) {
        if (ownRouter == null) {
            ownRouter = installOn(Router.router(vertx));
        }
        return ownRouter;
    }

    private void commonHeaders(RoutingContext ctx) {
        responseHeaders.forEach(ctx.response()::putHeader);
        ctx.next();
    }

    private void checkVersion(RoutingContext ctx, String text) {
        ApiVersion version;
        try {
            version = ApiVersion.parse(text);
        } catch (IllegalArgumentException e) {
            ctx.fail(EngineException.invalid(e.getMessage()));
            return;
        }
        if (version.compareTo(ApiVersion.MIN) < 0) {
            ctx.fail(EngineException.invalid("client version " + version + " is too old. Minimum supported API version is "
                    + ApiVersion.MIN + ", please upgrade your client to a newer version"));
            return;
        }
        if (version.compareTo(ApiVersion.MAX) > 0) {
            ctx.fail(EngineException.invalid("client version " + version
                    + " is too new. Maximum supported API version is " + ApiVersion.MAX));
            return;
        }
        ctx.put(VERSION_KEY, version);
        ctx.next();
    }

    private void run(Route route, RoutingContext ctx) {
        ApiVersion version = ctx.get(VERSION_KEY, ApiVersion.MAX);
        Map<String, String> values = new HashMap<>();
        for (String name : route.names()) {
            values.put(name, ctx.pathParam(name));
        }
        ApiRequest request = new ApiRequest(ctx, version, values, bus, jsonBodyLimit);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {}", ctx.request().method(), ctx.request().uri());
        }
        try {
            route.handler().handle(request);
        } catch (Exception e) {
            ctx.fail(e);
        }
    }

    /** The one place a failed request is answered: Docker's {"message": …} with its kind's status. */
    private void failed(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof EngineException || (failure != null && ctx.statusCode() == 500)) {
            HttpErrors.reply(ctx.response(), failure);
        } else {
            // A status set by Vert.x Web (a missing Host header, an HttpException, fail(code)).
            HttpErrors.reply(ctx.response(), statusError(ctx.statusCode() == -1 ? 500 : ctx.statusCode(), failure));
        }
    }

    private void routerError(RoutingContext ctx, int status) {
        responseHeaders.forEach(ctx.response()::putHeader);
        HttpErrors.reply(ctx.response(), statusError(status, ctx.failure()));
    }

    /** A status Vert.x Web chose (no route, body too large, …) as the error dockerd would give. */
    private static EngineException statusError(int status, Throwable failure) {
        switch (status) {
            case 404:
            case 405:
                // dockerd answers an unknown path, or a known one with another method, this way.
                return new EngineException(ErrorKind.NOT_FOUND, "page not found");
            case 413:
                return new EngineException(ErrorKind.PAYLOAD_TOO_LARGE, "request body is too large");
            case 400:
                if (failure == null) {
                    // Vert.x Web reports a path it cannot decode this way.
                    return EngineException.invalid("invalid escape in request path");
                }
                return EngineException.invalid(failure.getMessage() != null ? failure.getMessage() : "bad request");
            default:
                String message = failure != null && failure.getMessage() != null && !(failure instanceof HttpException)
                        ? failure.getMessage()
                        : HttpResponseStatus.valueOf(status).reasonPhrase();
                ErrorKind kind = ErrorKind.ofCode(status);
                return kind.httpStatus() == status || status >= 500
                        ? new EngineException(kind, message, failure)
                        : new EngineException(ErrorKind.INVALID_ARGUMENT, message, failure);
        }
    }
}
