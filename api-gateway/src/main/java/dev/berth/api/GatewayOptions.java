package dev.berth.api;

import dev.berth.api.metrics.EngineMetrics;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What the gateway needs from the daemon's configuration: where to listen, the facts about
 * this engine and host that /info and /version report (the gateway itself touches no host), and
 * the meters /metrics shows (null: no /metrics).
 */
public record GatewayOptions(List<ListenAddress> listen, JsonObject engineFacts, EngineMetrics metrics) {
    public GatewayOptions {
        listen = List.copyOf(listen);
        engineFacts = engineFacts == null ? new JsonObject() : engineFacts.copy();
    }

    public GatewayOptions(List<ListenAddress> listen, JsonObject engineFacts) {
        this(listen, engineFacts, null);
    }
}
