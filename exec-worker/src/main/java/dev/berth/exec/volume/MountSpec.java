package dev.berth.exec.volume;

import java.util.List;

/**
 * One mount a container asked for, after its -v, --mount or --tmpfs text was checked: what the
 * exec worker mounts at each start, and what inspect shows. Stored with the container, so that
 * a volume's name (an anonymous one's too) stays the same across starts.
 *
 * @param type "bind", "volume" or "tmpfs"
 * @param name a volume's name ("" until an anonymous one is named), "" for binds and tmpfs
 * @param source the host path of a bind or of a volume's data ("" until the volume exists), "" for a tmpfs
 * @param mode the mode text of a -v spec as Docker shows it in inspect ("ro", "z"), "" otherwise
 * @param propagation a bind's propagation ("rprivate" unless asked), "" for volumes and tmpfs
 * @param recursive a bind of the source's sub-mounts too (rbind), as Docker binds unless asked not to
 * @param tmpfsOptions the options of a tmpfs mount, Docker's defaults merged with the user's
 * @param noCopy a volume not filled from the image's content at its destination
 * @param createSource a bind from -v (or --mount with create-mountpoint) whose missing source is made
 * @param anonymous a volume made for this container, removed with it by rm -v
 * @param shown false for --tmpfs, which inspect does not list under Mounts
 */
public record MountSpec(String type, String name, String source, String destination, boolean readOnly, String mode,
        String propagation, boolean recursive, List<String> tmpfsOptions, boolean noCopy, boolean createSource,
        boolean anonymous, boolean shown) {

    public static final String BIND = "bind";
    public static final String VOLUME = "volume";
    public static final String TMPFS = "tmpfs";

    public boolean isBind() {
        return BIND.equals(type);
    }

    public boolean isVolume() {
        return VOLUME.equals(type);
    }

    public boolean isTmpfs() {
        return TMPFS.equals(type);
    }

    /** This volume mount once its volume exists. */
    public MountSpec withVolume(String volumeName, String dataPath) {
        return new MountSpec(type, volumeName, dataPath, destination, readOnly, mode, propagation, recursive, tmpfsOptions, noCopy,
                createSource, anonymous, shown);
    }
}
