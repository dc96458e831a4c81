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

    /**
     * A veth pair made ahead of time for a sandbox: {@code hostName} in the daemon's namespace,
     * down, on no bridge, labelled with {@code label} (its ifalias) so that the daemon's next start
     * finds it; its peer {@code insideName} down in the held namespace, its MAC not chosen yet.
     * Returns the host end's interface index, by which {@link #plugIn} finds it.
     */
    int addSpareVeth(String hostName, String label, HeldNamespace netns, String insideName) throws IOException;

    /**
     * Takes a spare veth into use: its host end (by index) renamed to {@code hostName}, its label
     * cleared, enslaved to {@code bridge} and up, in one rtnetlink request; inside, through the held
     * namespace's socket (no thread joins it), {@code insideName} gets the MAC, the address and
     * prefix, up, and the default route through {@code gateway} (none when null).
     */
    void plugIn(int hostIndex, String hostName, String bridge, HeldNamespace netns, String insideName, String mac,
            String address, int prefixLength, String gateway) throws IOException;

    /** Deletes an interface of the daemon's namespace by name; one that does not exist is not an error. */
    void delete(String name) throws IOException;

    static NetworkLinks linux() {
        return new LinuxNetworkLinks();
    }
}
