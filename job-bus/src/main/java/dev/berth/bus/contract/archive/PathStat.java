package dev.berth.bus.contract.archive;

/**
 * What a path in a container is (the reply of {@code container.archive.stat}, the header of
 * {@code .get}); the gateway renders Docker's X-Docker-Container-Path-Stat from it.
 *
 * @param name the last element of the path as asked ("." for a path ending in "/.")
 * @param mode st_mode: the file type bits and the permission bits, set-id and sticky included
 * @param mtime RFC 3339 with nanoseconds
 * @param linkTarget for a symlink, the path it leads to inside the container; else ""
 */
public record PathStat(String name, long size, int mode, String mtime, String linkTarget) {
}
