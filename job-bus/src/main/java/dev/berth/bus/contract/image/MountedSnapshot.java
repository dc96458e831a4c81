package dev.berth.bus.contract.image;

/**
 * Reply of {@code snapshot.mount}: host paths of the mounted root file system
 * (data-root/image/snapshots/{id}/merged, or …/rootfs under vfs), its overlay upper and work
 * directories, and the lower directories joined by ':' as overlay stacks them, topmost first;
 * those three are absent under vfs, which mounts nothing.
 */
public record MountedSnapshot(String rootfs, String upperDir, String workDir, String lowerDir) {
}
