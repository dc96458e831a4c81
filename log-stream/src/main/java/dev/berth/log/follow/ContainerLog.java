package dev.berth.log.follow;

import dev.berth.bus.EngineException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * The part of the exec worker's container view that reading a log needs: {@code id},
 * {@code logPath}, {@code config.Tty} and {@code state.running}.
 */
record ContainerLog(String id, Path logPath, boolean tty, boolean running) {
    static ContainerLog fromInspect(JsonObject view) {
        String id = view.getString("id");
        String logPath = view.getString("logPath");
        if (id == null || id.isEmpty()) {
            throw EngineException.internal("the container view has no id", null);
        }
        JsonObject config = view.getJsonObject("config", new JsonObject());
        JsonObject state = view.getJsonObject("state", new JsonObject());
        boolean running = state.getBoolean("running", "running".equals(state.getString("status")));
        return new ContainerLog(id, logPath == null || logPath.isEmpty() ? null : Path.of(logPath),
                config.getBoolean("Tty", false), running);
    }
}
