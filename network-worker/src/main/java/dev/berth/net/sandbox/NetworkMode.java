package dev.berth.net.sandbox;

/** HostConfig.NetworkMode, as the network worker understands it. */
public enum NetworkMode {
    BRIDGE,
    HOST,
    NONE,
    CONTAINER,
    /** A user-defined network by name or id. */
    USER;

    /** "default" and "" mean the default bridge, as in Docker; any other name a user network. */
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
        return USER;
    }
}
