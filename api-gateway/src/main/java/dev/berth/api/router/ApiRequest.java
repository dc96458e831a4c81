package dev.berth.api.router;

import dev.berth.bus.EngineException;
import dev.berth.bus.JobBus;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;

/** One API call as a handler sees it: path values, Docker-style query values, JSON replies. */
public final class ApiRequest {
    private final RoutingContext context;
    private final HttpServerRequest http;
    private final ApiVersion version;
    private final Map<String, String> pathValues;
    private final JobBus bus;
    private final long jsonBodyLimit;

    ApiRequest(RoutingContext context, ApiVersion version, Map<String, String> pathValues, JobBus bus, long jsonBodyLimit) {
        this.context = context;
        this.http = context.request();
        this.version = version;
        this.pathValues = pathValues;
        this.bus = bus;
        this.jsonBodyLimit = jsonBodyLimit;
    }

    /** The Vert.x Web context of this call, for handlers that need more than this class offers. */
    public RoutingContext context() {
        return context;
    }

    public HttpServerRequest http() {
        return http;
    }

    public HttpServerResponse response() {
        return http.response();
    }

    public ApiVersion version() {
        return version;
    }

    public JobBus bus() {
        return bus;
    }

    public String path(String name) {
        return pathValues.get(name);
    }

    /** A value of the query string; never a path value (Vert.x Web also files those as params). */
    public String query(String name) {
        return queryValues().get(name);
    }

    public List<String> queryAll(String name) {
        return queryValues().getAll(name);
    }

    private MultiMap queryValues() {
        try {
            return context.queryParams();
        } catch (IllegalArgumentException e) {
            throw EngineException.invalid("invalid query string: " + e.getMessage());
        }
    }

    public boolean bool(String name, boolean absent) {
        return QueryValues.bool(query(name), absent);
    }

    /**
     * The filters parameter as {key: [values]}, read by {@link FiltersParam}: both the CLI's
     * {"label":{"a=b":true}} and docker-java's {"label":["a=b"]}, and a 400 for any other shape,
     * so that a filter the client meant is never silently dropped.
     */
    public java.util.Map<String, java.util.List<String>> filters() {
        return FiltersParam.parse(query("filters"));
    }

    /** An integer the call cannot do without: absent or empty is a 400 naming it. */
    public int requiredIntQuery(String name) {
        Integer value = intQuery(name);
        if (value == null) {
            throw EngineException.invalid("missing value for " + name + ": an integer is required");
        }
        return value;
    }

    public Integer intQuery(String name) {
        String value = query(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw EngineException.invalid("invalid value for " + name + ": " + value);
        }
    }

    /**
     * The body as a JSON object; an empty body is an empty object. Read here rather than by a
     * router-wide BodyHandler, because other routes stream their bodies; a body above the
     * router's limit is refused with 413 without being buffered.
     */
    public Future<JsonObject> jsonBody() {
        return JsonBodyReader.read(http, jsonBodyLimit).compose(body -> {
            if (body.length() == 0) {
                return Future.succeededFuture(new JsonObject());
            }
            try {
                Object parsed = body.toJsonValue();
                if (!(parsed instanceof JsonObject)) {
                    return Future.failedFuture(EngineException.invalid("request body must be a JSON object"));
                }
                return Future.succeededFuture((JsonObject) parsed);
            } catch (DecodeException e) {
                return Future.failedFuture(EngineException.invalid("invalid JSON in request body: " + firstLine(e.getMessage())));
            }
        });
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    public void json(int status, Object body) {
        Buffer encoded;
        if (body instanceof JsonObject) {
            encoded = ((JsonObject) body).toBuffer();
        } else if (body instanceof JsonArray) {
            encoded = ((JsonArray) body).toBuffer();
        } else {
            encoded = Buffer.buffer(io.vertx.core.json.Json.encode(body));
        }
        http.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(encoded.appendString("\n"));
    }

    /** 200 without a body, as dockerd answers network connect and disconnect. */
    public void ok() {
        http.response().setStatusCode(200).end();
    }

    public void noContent() {
        http.response().setStatusCode(204).end();
    }

    /** Replies with the failure's status and Docker's {"message": …}, through the router's failure handler. */
    public void fail(Throwable failure) {
        context.fail(failure);
    }

    /** Runs a future-returning step, reporting a failure (thrown or returned) as an API error. */
    public <T> Future<T> handled(Future<T> future) {
        return future.onFailure(this::fail);
    }
}
