package dev.berth.net.network;

import dev.berth.bus.contract.network.NetworkView;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The networks every Docker engine has: bridge, host and none. Their ids are derived from the
 * node and the name, so they stay the same across restarts without any stored state.
 */
public final class PredefinedNetworks {
    private static final Set<String> NAMES = Set.of("bridge", "host", "none");

    private final List<NetworkView> all;

    public PredefinedNetworks(String node, Instant created) {
        this.all = List.of(view(node, created, "bridge", "bridge"), view(node, created, "host", "host"),
                view(node, created, "none", "null"));
    }

    public List<NetworkView> all() {
        return all;
    }

    public static boolean isPredefined(String name) {
        return NAMES.contains(name);
    }

    private static NetworkView view(String node, Instant created, String name, String driver) {
        return new NetworkView(idOf(node, name), name, driver, "local", created.toString(), false, false,
                List.of(), Map.of(), Map.of());
    }

    private static String idOf(String node, String name) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(("berth-network:" + node + ":" + name).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
