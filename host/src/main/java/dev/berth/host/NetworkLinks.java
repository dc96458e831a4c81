package dev.berth.host;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Network interfaces made with rtnetlink and ioctls from the daemon itself: no `ip` process on
 * a container's start path.
 */
public interface NetworkLinks {
    /**
     * A veth pair between a bridge and a pinned network namespace: {@code hostName} on the host,
     * enslaved to {@code bridge} and up; its peer inside the namespace as {@code insideName}
     * (eth0, eth1…) with the MAC, the IPv4 address and prefix, up, with the default route through
     * {@code gateway} (none when gateway is null: an internal network, or a second network).
     */
    void addContainerVeth(String hostName, String bridge, Path netns, String insideName, String mac, String address,
            int prefixLength, String gateway) throws IOException;

    /** Deletes an interface of the daemon's namespace by name; one that does not exist is not an error. */
    void delete(String name) throws IOException;

    static NetworkLinks linux() {
        return new LinuxNetworkLinks();
    }
}
