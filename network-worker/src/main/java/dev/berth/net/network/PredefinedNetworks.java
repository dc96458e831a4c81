package dev.berth.net.network;

import dev.berth.bus.contract.network.IpamConfig;
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

    /** Without a bridge device: a node whose bridge network has no addresses of its own. */
    public PredefinedNetworks(String node, Instant created) {
        this(node, created, null, null, null);
    }

    /** The bridge network with its device, subnet and gateway, as docker network inspect bridge shows them. */
    public PredefinedNetworks(String node, Instant created, String bridgeName, String subnet, String gateway) {
        NetworkView bridge = bridgeName == null ? view(node, created, "bridge", "bridge")
                : new NetworkView(idOf(node, "bridge"), "bridge", "bridge", "local", created.toString(), false, false,
                        List.of(new IpamConfig(subnet, gateway)),
                        Map.of("com.docker.network.bridge.name", bridgeName, "com.docker.network.bridge.default_bridge", "true",
                                "com.docker.network.bridge.enable_ip_masquerade", "true"),
                        Map.of());
        this.all = List.of(bridge, view(node, created, "host", "host"), view(node, created, "none", "null"));
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

    /** The id the named predefined network has on a node. */
    public static String idOf(String node, String name) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(("berth-network:" + node + ":" + name).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
