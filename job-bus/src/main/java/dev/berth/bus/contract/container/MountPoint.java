package dev.berth.bus.contract.container;

/**
 * One mount of a container as inspect and ps show it (Docker's MountPoint).
 *
 * @param type "bind", "volume" or "tmpfs"
 * @param name a volume's name, else ""
 * @param source the host path (a bind's source, a volume's data directory), "" for tmpfs
 * @param driver a volume's driver ("local"), else ""
 * @param mode the mode of a -v spec ("ro", "z"), "" for --mount
 * @param propagation a bind's propagation, else ""
 */
public record MountPoint(String type, String name, String source, String destination, String driver, String mode,
        boolean rw, String propagation) {
}
