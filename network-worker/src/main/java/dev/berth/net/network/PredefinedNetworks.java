package dev.berth.net.network;

import dev.berth.bus.EngineException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The networks every Docker engine has: bridge, host and none. Their ids are derived from the
 * node and the name, so they stay the same across restarts without any stored state.
 */
public final class PredefinedNetworks {
    private final String node;
    private final Instant created;

    public PredefinedNetworks(String node, Instant created) {
        this.node = node;
        this.created = created;
    }

    public List<JsonObject> all() {
        return List.of(view("bridge", "bridge"), view("host", "host"), view("none", "null"));
    }

    /** By name, full id or unique id prefix. */
    public JsonObject find(String ref) {
        for (JsonObject network : all()) {
            if (network.getString("name").equals(ref) || network.getString("id").equals(ref)) {
                return network;
            }
        }
        JsonObject match = null;
        for (JsonObject network : all()) {
            if (network.getString("id").startsWith(ref)) {
                if (match != null) {
                    throw EngineException.invalid("network " + ref + " is ambiguous");
                }
                match = network;
            }
        }
        if (match == null) {
            throw EngineException.notFound("network " + ref + " not found");
        }
        return match;
    }

    private JsonObject view(String name, String driver) {
        return new JsonObject()
                .put("id", idOf(name))
                .put("name", name)
                .put("driver", driver)
                .put("scope", "local")
                .put("created", created.toString())
                .put("internal", false)
                .put("subnets", new JsonArray())
                .put("options", new JsonObject())
                .put("labels", new JsonObject());
    }

    private String idOf(String name) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(("berth-network:" + node + ":" + name).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
