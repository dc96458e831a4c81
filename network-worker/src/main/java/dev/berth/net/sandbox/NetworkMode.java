package dev.berth.net.sandbox;

import dev.berth.bus.EngineException;

/** HostConfig.NetworkMode, as the network worker understands it. */
public enum NetworkMode {
    BRIDGE,
    HOST,
    NONE,
    CONTAINER;

    /** "default" and "" mean the default bridge, as in Docker. */
    public static NetworkMode parse(String mode) {
        if (mode == null || mode.isEmpty() || mode.equals("default") || mode.equals("bridge")) {
            return BRIDGE;
        }
        if (mode.equals("host")) {
            return HOST;
        }
        if (mode.equals("none")) {
            return NONE;
        }
        if (mode.startsWith("container:")) {
            return CONTAINER;
        }
        throw EngineException.notFound("network " + mode + " not found");
    }
}
