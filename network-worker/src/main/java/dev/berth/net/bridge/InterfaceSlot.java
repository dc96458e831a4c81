package dev.berth.net.bridge;

/**
 * Where a container's endpoint goes: its interface inside the namespace (eth0, eth1… in the
 * order the container joined its networks, the lowest free one first, as dockerd names them),
 * the host end of its veth, and whether the container's default route goes through this network
 * (only for its first endpoint: a network connected later adds its subnet, not a new way out).
 */
public record InterfaceSlot(String insideName, String hostVeth, boolean defaultRoute) {
    /** Interface names inside the namespace stop at eth99, which keeps the host end within 15 bytes. */
    static final int MAX_INDEX = 99;

    /**
     * The slot with index {@code index}: eth0's host end is "vb" and 12 hex digits of the
     * container id (as before containers had more than one endpoint); ethN's is "vb", 10 hex
     * digits, "n" and N, within the 15 bytes of an interface name.
     */
    public static InterfaceSlot of(String containerId, int index, boolean defaultRoute) {
        if (index < 0 || index > MAX_INDEX) {
            throw new IllegalArgumentException("no interface slot " + index);
        }
        String hostVeth = index == 0 ? "vb" + containerId.substring(0, 12) : "vb" + containerId.substring(0, 10) + "n" + index;
        return new InterfaceSlot("eth" + index, hostVeth, defaultRoute);
    }
}
