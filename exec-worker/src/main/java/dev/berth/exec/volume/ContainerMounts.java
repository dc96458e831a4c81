package dev.berth.exec.volume;

import dev.berth.bus.EngineException;
import dev.berth.exec.oci.RootfsPaths;
import dev.berth.exec.oci.RuntimeSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a container's mounts ready for a start and says how the runtime mounts them: a -v bind
 * whose host directory is missing gets one (as dockerd does), a --mount bind whose source went
 * away fails the start, a volume is made ready by its store. Blocks on disk.
 */
public final class ContainerMounts {
    private ContainerMounts() {
    }

    /**
     * The runtime's mounts for these specs, their sources made ready.
     *
     * @param rootfs the container's mounted root file system, where a volume's first content comes from
     */
    public static List<RuntimeSpec.Mount> prepare(List<MountSpec> mounts, Path rootfs, VolumeService volumes) {
        List<RuntimeSpec.Mount> result = new ArrayList<>();
        for (MountSpec mount : mounts) {
            switch (mount.type()) {
                case MountSpec.BIND -> result.add(bind(mount, prepareBindSource(mount)));
                case MountSpec.VOLUME -> result.add(bind(mount, volumes.prepare(mount, imagePath(rootfs, mount))));
                default -> result.add(new RuntimeSpec.Mount(mount.destination(), "tmpfs", "tmpfs", mount.tmpfsOptions()));
            }
        }
        return result;
    }

    private static Path imagePath(Path rootfs, MountSpec mount) {
        try {
            return RootfsPaths.resolve(rootfs, mount.destination());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path prepareBindSource(MountSpec mount) {
        Path source = Path.of(mount.source());
        if (Files.exists(source)) {
            return source;
        }
        if (!mount.createSource()) {
            throw EngineException.invalid("invalid mount config for type \"bind\": bind source path does not exist: "
                    + mount.source());
        }
        try {
            Files.createDirectories(source);
        } catch (IOException e) {
            throw new UncheckedIOException("error while creating mount source path '" + source + "': " + e.getMessage(), e);
        }
        return source;
    }

    private static RuntimeSpec.Mount bind(MountSpec mount, Path source) {
        List<String> options = new ArrayList<>();
        options.add(mount.recursive() ? "rbind" : "bind");
        options.add(mount.propagation().isEmpty() ? "rprivate" : mount.propagation());
        if (mount.readOnly()) {
            options.add("ro");
        }
        return new RuntimeSpec.Mount(mount.destination(), "bind", source.toString(), options);
    }
}
