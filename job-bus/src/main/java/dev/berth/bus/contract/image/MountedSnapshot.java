package dev.berth.bus.contract.image;

/**
 * Reply of {@code snapshot.mount}: host paths of the mounted root file system
 * (data-root/image/snapshots/{id}/merged), its overlay upper and work directories, and the lower
 * directories joined by ':' as overlay stacks them, topmost first.
 */
public record MountedSnapshot(String rootfs, String upperDir, String workDir, String lowerDir) {
}
