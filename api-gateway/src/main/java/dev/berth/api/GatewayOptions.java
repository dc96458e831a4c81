package dev.berth.api;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What the gateway needs from the daemon's configuration: where to listen, and the facts about
 * this engine and host that /info and /version report (the gateway itself touches no host).
 */
public record GatewayOptions(List<ListenAddress> listen, JsonObject engineFacts) {
    public GatewayOptions {
        listen = List.copyOf(listen);
        engineFacts = engineFacts == null ? new JsonObject() : engineFacts.copy();
    }
}
