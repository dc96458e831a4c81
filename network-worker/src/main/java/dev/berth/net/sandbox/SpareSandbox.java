package dev.berth.net.sandbox;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A default-bridge sandbox made ahead of time: a network namespace with loopback up and a veth
 * pair whose peer waits inside as eth0, held by the daemon's descriptors, pinned nowhere and on
 * no bridge until a container takes it.
 */
public interface SpareSandbox extends AutoCloseable {
    /** Pins the namespace where the container's namespace is expected. */
    void pin(Path path) throws IOException;

    /**
     * Puts the veth into use: the host end renamed {@code hostVeth}, on {@code bridge} and up;
     * eth0 inside with the MAC, the address and prefix, up, with the default route through
     * {@code gateway} (none when null).
     */
    void plugIn(String hostVeth, String bridge, String mac, String address, int prefixLength, String gateway) throws IOException;

    /**
     * Lets go of the descriptors: taken and pinned, the namespace lives on as the container's;
     * otherwise the kernel tears it down with its veth pair.
     */
    @Override
    void close();

    /** Deletes the veth pair now and lets go (the daemon is stopping: nothing of the pool may stay). */
    void discard();
}
