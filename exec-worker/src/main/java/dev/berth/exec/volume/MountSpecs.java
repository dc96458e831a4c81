package dev.berth.exec.volume;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.container.HostConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns what a client asked to mount (HostConfig Binds, Mounts and Tmpfs, and the anonymous
 * volumes of Config.Volumes) into {@link MountSpec}s, with dockerd's rules and messages: -v
 * specs as its Linux parser reads them, --mount with its per-type fields, tmpfs options from
 * the list mount(8) knows. Propagation other than private is refused, never dropped.
 */
public final class MountSpecs {
    /** dockerd's rule for local volume names. */
    public static final Pattern VOLUME_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final Set<String> PROPAGATIONS = Set.of("private", "rprivate", "shared", "rshared", "slave", "rslave");
    private static final Set<String> HONOURED_PROPAGATIONS = Set.of("private", "rprivate");
    private static final Set<String> CONSISTENCY = Set.of("consistent", "cached", "delegated");
    /** The flags a tmpfs mount takes (Docker's list from mount(8)). */
    private static final Set<String> TMPFS_FLAGS = Set.of("defaults", "ro", "rw", "suid", "nosuid", "dev", "nodev", "exec",
            "noexec", "sync", "async", "dirsync", "remount", "mand", "nomand", "atime", "noatime", "diratime", "nodiratime",
            "bind", "rbind", "unbindable", "runbindable", "private", "rprivate", "shared", "rshared", "slave", "rslave",
            "relatime", "norelatime", "strictatime", "nostrictatime");
    private static final Set<String> TMPFS_DATA = Set.of("size", "mode", "uid", "gid", "nr_inodes", "nr_blocks", "mpol");
    /** Flags that cancel each other: the later one wins, as mount(8) reads them. */
    private static final Map<String, String> TMPFS_OPPOSITES = Map.ofEntries(Map.entry("ro", "rw"), Map.entry("rw", "ro"),
            Map.entry("suid", "nosuid"), Map.entry("nosuid", "suid"), Map.entry("dev", "nodev"), Map.entry("nodev", "dev"),
            Map.entry("exec", "noexec"), Map.entry("noexec", "exec"));

    private MountSpecs() {
    }

    /**
     * Every mount of a new container, checked for syntax and duplicates; touches no disk.
     *
     * @param imageVolumes the destinations of Config.Volumes (the image's VOLUME and -v /path)
     */
    public static List<MountSpec> parse(HostConfig host, Collection<String> imageVolumes) {
        return parse(host, List.of(), imageVolumes);
    }

    /**
     * As {@link #parse(HostConfig, Collection)}, with the mounts taken from other containers
     * (--volumes-from): the container's own mounts take their places over, and they take the
     * image's volumes over.
     */
    public static List<MountSpec> parse(HostConfig host, List<MountSpec> inherited, Collection<String> imageVolumes) {
        List<MountSpec> mounts = new ArrayList<>();
        for (String bind : host.binds() == null ? List.<String>of() : host.binds()) {
            mounts.add(parseBind(bind));
        }
        for (HostConfig.Mount mount : host.mounts() == null ? List.<HostConfig.Mount>of() : host.mounts()) {
            mounts.add(parseMount(mount));
        }
        if (host.tmpfs() != null) {
            for (Map.Entry<String, String> tmpfs : host.tmpfs().entrySet()) {
                mounts.add(parseTmpfs(tmpfs.getKey(), tmpfs.getValue()));
            }
        }
        Set<String> destinations = new HashSet<>();
        for (MountSpec mount : mounts) {
            if (!destinations.add(mount.destination())) {
                throw EngineException.invalid("Duplicate mount point: " + mount.destination());
            }
        }
        for (MountSpec mount : inherited) {
            if (destinations.add(mount.destination())) {
                mounts.add(mount);
            }
        }
        for (String path : imageVolumes) {
            String destination = clean(path);
            checkDestination("volume", destination);
            // a bind or a named volume at the same place takes the image's volume over, as in Docker
            if (destinations.add(destination)) {
                mounts.add(new MountSpec(MountSpec.VOLUME, "", "", destination, false, "", "", true, List.of(), false, false,
                        true, true));
            }
        }
        return List.copyOf(mounts);
    }

    /**
     * One --volumes-from entry, "container[:ro|:rw]": the container named, and whether its
     * mounts are made read-only here.
     */
    public record VolumesFrom(String container, boolean readOnly) {
    }

    public static VolumesFrom parseVolumesFrom(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon < 0) {
            return new VolumesFrom(spec, false);
        }
        String mode = spec.substring(colon + 1);
        if (!mode.equals("ro") && !mode.equals("rw")) {
            throw EngineException.invalid("invalid mode for volumes-from: " + mode);
        }
        return new VolumesFrom(spec.substring(0, colon), mode.equals("ro"));
    }

    /**
     * Another container's mount as --volumes-from gives it: the same volume, bind or tmpfs at
     * the same place, read-only if either side says so, never filled from the image again and
     * never removed with this container.
     */
    public static MountSpec inherit(MountSpec mount, boolean readOnly) {
        return new MountSpec(mount.type(), mount.name(), mount.source(), mount.destination(), mount.readOnly() || readOnly,
                mount.mode(), mount.propagation(), mount.recursive(), mount.tmpfsOptions(), true, false, false, true);
    }

    /** Refuses a --mount bind whose source is missing, with dockerd's message; may block on disk. */
    public static void checkSources(List<MountSpec> mounts) {
        for (MountSpec mount : mounts) {
            if (mount.isBind() && !mount.createSource() && !Files.exists(Path.of(mount.source()))) {
                throw EngineException.invalid("invalid mount config for type \"bind\": bind source path does not exist: "
                        + mount.source());
            }
        }
    }

    /** One -v/--volume spec: source:destination[:mode] or an anonymous volume's destination. */
    static MountSpec parseBind(String spec) {
        String[] parts = spec.split(":", -1);
        String source;
        String destination;
        String mode = "";
        switch (parts.length) {
            case 1 -> {
                source = "";
                destination = parts[0];
            }
            case 2 -> {
                if (isValidMode(parts[1])) {
                    throw invalidSpec(spec);
                }
                source = parts[0];
                destination = parts[1];
            }
            case 3 -> {
                source = parts[0];
                destination = parts[1];
                mode = parts[2];
                if (!isValidMode(mode)) {
                    throw EngineException.invalid("invalid mode: " + mode);
                }
            }
            default -> throw invalidSpec(spec);
        }
        if (destination.isEmpty()) {
            throw invalidSpec(spec);
        }
        boolean bind = source.startsWith("/");
        String type = bind ? MountSpec.BIND : MountSpec.VOLUME;
        destination = clean(destination);
        checkDestination(type, destination);
        Set<String> modes = modes(mode);
        boolean readOnly = modes.contains("ro");
        String propagation = "";
        for (String m : modes) {
            if (PROPAGATIONS.contains(m)) {
                propagation = m;
            }
        }
        if (bind) {
            if (modes.contains("nocopy")) {
                throw EngineException.invalid("invalid mode: " + mode);
            }
            checkPropagation(propagation);
            return new MountSpec(MountSpec.BIND, "", clean(source), destination, readOnly, mode,
                    propagation.isEmpty() ? "rprivate" : propagation, true, List.of(), false, true, false, true);
        }
        if (!propagation.isEmpty()) {
            throw EngineException.invalid("invalid mount config for type \"volume\": field BindOptions must not be specified");
        }
        if (!source.isEmpty()) {
            checkVolumeName(source);
        }
        // dockerd shows "z" as the mode of a volume from -v without one
        return new MountSpec(MountSpec.VOLUME, source, "", destination, readOnly, mode.isEmpty() ? "z" : mode, "", true,
                List.of(), modes.contains("nocopy"), false, source.isEmpty(), true);
    }

    /** One --mount (HostConfig.Mounts item). */
    static MountSpec parseMount(HostConfig.Mount mount) {
        String type = mount.type() == null ? "" : mount.type();
        String prefix = "invalid mount config for type \"" + type + "\": ";
        String target = mount.target() == null ? "" : mount.target();
        String source = mount.source() == null ? "" : mount.source();
        boolean readOnly = Boolean.TRUE.equals(mount.readOnly());
        if (!type.equals(MountSpec.BIND) && !type.equals(MountSpec.VOLUME) && !type.equals(MountSpec.TMPFS)) {
            throw EngineException.invalid(type.isEmpty() ? "invalid mount config: mount type must not be empty"
                    : "invalid mount config for type \"" + type + "\": mount type unknown");
        }
        if (target.isEmpty()) {
            throw EngineException.invalid(prefix + "field Target must not be empty");
        }
        String destination = clean(target);
        checkDestination(type, destination);
        if (mount.imageOptions() != null && !mount.imageOptions().isEmpty()) {
            throw EngineException.invalid(prefix + "field ImageOptions must not be specified");
        }
        if (!type.equals(MountSpec.BIND) && mount.bindOptions() != null && !mount.bindOptions().isEmpty()) {
            throw EngineException.invalid(prefix + "field BindOptions must not be specified");
        }
        if (!type.equals(MountSpec.VOLUME) && mount.volumeOptions() != null && !mount.volumeOptions().isEmpty()) {
            throw EngineException.invalid(prefix + "field VolumeOptions must not be specified");
        }
        if (!type.equals(MountSpec.TMPFS) && mount.tmpfsOptions() != null && !mount.tmpfsOptions().isEmpty()) {
            throw EngineException.invalid(prefix + "field TmpfsOptions must not be specified");
        }
        switch (type) {
            case MountSpec.BIND -> {
                if (source.isEmpty()) {
                    throw EngineException.invalid(prefix + "field Source must not be empty");
                }
                if (!source.startsWith("/")) {
                    throw EngineException.invalid(prefix + "invalid mount path: '" + source + "' mount path must be absolute");
                }
                Map<String, Object> options = mount.bindOptions() == null ? Map.of() : mount.bindOptions();
                String propagation = "rprivate";
                boolean recursive = true;
                boolean create = false;
                for (Map.Entry<String, Object> option : options.entrySet()) {
                    switch (option.getKey()) {
                        case "Propagation" -> propagation = String.valueOf(option.getValue());
                        case "NonRecursive" -> recursive = !Boolean.TRUE.equals(option.getValue());
                        case "CreateMountpoint" -> create = Boolean.TRUE.equals(option.getValue());
                        default -> {
                            if (!Boolean.FALSE.equals(option.getValue()) && option.getValue() != null) {
                                throw EngineException.invalid("berth does not support the bind option " + option.getKey() + " yet");
                            }
                        }
                    }
                }
                if (!PROPAGATIONS.contains(propagation)) {
                    throw EngineException.invalid(prefix + "invalid propagation mode: " + propagation);
                }
                checkPropagation(propagation);
                return new MountSpec(MountSpec.BIND, "", clean(source), destination, readOnly, "", propagation, recursive,
                        List.of(), false, create, false, true);
            }
            case MountSpec.VOLUME -> {
                if (!source.isEmpty()) {
                    checkVolumeName(source);
                }
                Map<String, Object> options = mount.volumeOptions() == null ? Map.of() : mount.volumeOptions();
                boolean noCopy = false;
                for (Map.Entry<String, Object> option : options.entrySet()) {
                    switch (option.getKey()) {
                        case "NoCopy" -> noCopy = Boolean.TRUE.equals(option.getValue());
                        case "DriverConfig" -> checkLocalDriver(option.getValue());
                        default -> {
                            if (isSet(option.getValue())) {
                                throw EngineException.invalid("berth does not support the volume option " + option.getKey()
                                        + " of --mount yet");
                            }
                        }
                    }
                }
                return new MountSpec(MountSpec.VOLUME, source, "", destination, readOnly, "", "", true, List.of(), noCopy,
                        false, source.isEmpty(), true);
            }
            default -> {
                if (!source.isEmpty()) {
                    throw EngineException.invalid(prefix + "field Source must not be specified");
                }
                List<String> data = new ArrayList<>();
                Map<String, Object> options = mount.tmpfsOptions() == null ? Map.of() : mount.tmpfsOptions();
                for (Map.Entry<String, Object> option : options.entrySet()) {
                    Object value = option.getValue();
                    switch (option.getKey()) {
                        case "SizeBytes" -> {
                            long size = ((Number) value).longValue();
                            if (size < 0) {
                                throw EngineException.invalid(prefix + "invalid tmpfs size: " + size);
                            }
                            if (size > 0) {
                                data.add("size=" + size);
                            }
                        }
                        case "Mode" -> {
                            long mode = ((Number) value).longValue();
                            if (mode != 0) {
                                data.add("mode=" + Long.toOctalString(mode & 07777));
                            }
                        }
                        case "Options" -> {
                            for (Object pair : (List<?>) value) {
                                List<?> words = (List<?>) pair;
                                data.add(words.size() == 1 ? String.valueOf(words.get(0))
                                        : words.get(0) + "=" + words.get(1));
                            }
                        }
                        default -> throw EngineException.invalid("berth does not support the tmpfs option " + option.getKey()
                                + " of --mount yet");
                    }
                }
                List<String> merged = tmpfsOptions(String.join(",", data));
                if (readOnly) {
                    merged = mergeFlags(merged, List.of("ro"));
                }
                return new MountSpec(MountSpec.TMPFS, "", "", destination, readOnly, "", "", false, merged, false, false,
                        false, true);
            }
        }
    }

    /** One --tmpfs path[:options]. */
    static MountSpec parseTmpfs(String path, String options) {
        String destination = clean(path);
        if (path.isEmpty() || !destination.startsWith("/")) {
            throw EngineException.invalid("invalid tmpfs destination: " + path + ": mount path must be absolute");
        }
        checkDestination(MountSpec.TMPFS, destination);
        List<String> merged = tmpfsOptions(options == null ? "" : options);
        return new MountSpec(MountSpec.TMPFS, "", "", destination, merged.contains("ro"), "", "", false, merged, false, false,
                false, false);
    }

    /** Docker's tmpfs defaults (noexec, nosuid, nodev) with the user's options over them. */
    static List<String> tmpfsOptions(String options) {
        List<String> given = new ArrayList<>();
        for (String option : options.split(",")) {
            String trimmed = option.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals < 0 ? !TMPFS_FLAGS.contains(trimmed) : !TMPFS_DATA.contains(trimmed.substring(0, equals))) {
                throw EngineException.invalid("invalid tmpfs option [\"" + trimmed + "\"]");
            }
            if (equals < 0 && PROPAGATIONS.contains(trimmed)) {
                checkPropagation(trimmed);
            }
            given.add(trimmed);
        }
        return mergeFlags(List.of("noexec", "nosuid", "nodev"), given);
    }

    private static List<String> mergeFlags(List<String> defaults, List<String> given) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String option : defaults) {
            byKey.put(key(option), option);
        }
        for (String option : given) {
            String opposite = TMPFS_OPPOSITES.get(option);
            if (opposite != null) {
                byKey.remove(opposite);
            }
            byKey.remove(key(option));
            byKey.put(key(option), option);
        }
        return List.copyOf(byKey.values());
    }

    private static String key(String option) {
        int equals = option.indexOf('=');
        return equals < 0 ? option : option.substring(0, equals);
    }

    private static boolean isValidMode(String mode) {
        if (mode.isEmpty()) {
            return false;
        }
        int rw = 0;
        int label = 0;
        int propagation = 0;
        int copy = 0;
        int consistency = 0;
        for (String m : mode.split(",")) {
            if (m.equals("rw") || m.equals("ro")) {
                rw++;
            } else if (m.equals("z") || m.equals("Z")) {
                label++;
            } else if (PROPAGATIONS.contains(m)) {
                propagation++;
            } else if (m.equals("nocopy")) {
                copy++;
            } else if (CONSISTENCY.contains(m)) {
                consistency++;
            } else {
                return false;
            }
        }
        return rw <= 1 && label <= 1 && propagation <= 1 && copy <= 1 && consistency <= 1;
    }

    private static Set<String> modes(String mode) {
        return mode.isEmpty() ? Set.of() : Set.of(mode.split(","));
    }

    /** Shared and slave propagation need the source on a shared mount; Berth does not set that up yet. */
    private static void checkPropagation(String propagation) {
        if (!propagation.isEmpty() && !HONOURED_PROPAGATIONS.contains(propagation)) {
            throw EngineException.invalid("berth does not support bind propagation \"" + propagation + "\" yet");
        }
    }

    private static void checkDestination(String type, String destination) {
        if (!destination.startsWith("/")) {
            throw EngineException.invalid("invalid mount config for type \"" + type + "\": invalid mount path: '"
                    + destination + "' mount path must be absolute");
        }
        if (destination.equals("/")) {
            throw EngineException.invalid("invalid specification: destination can't be '/'");
        }
    }

    private static void checkVolumeName(String name) {
        if (!VOLUME_NAME.matcher(name).matches()) {
            throw EngineException.invalid("create " + name + ": \"" + name + "\" includes invalid characters for a local "
                    + "volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host "
                    + "directory, use absolute path");
        }
    }

    private static void checkLocalDriver(Object driverConfig) {
        if (driverConfig instanceof Map<?, ?> config) {
            Object name = config.get("Name");
            if (name != null && !"".equals(name) && !"local".equals(name)) {
                throw EngineException.invalid("berth does not support the volume driver \"" + name + "\"");
            }
            Object options = config.get("Options");
            if (options instanceof Map<?, ?> map && !map.isEmpty()) {
                throw EngineException.invalid("berth does not support driver options in --mount yet: create the volume "
                        + "with docker volume create -o instead");
            }
        }
    }

    private static boolean isSet(Object value) {
        return value != null && !Boolean.FALSE.equals(value) && !"".equals(value)
                && !(value instanceof Map<?, ?> map && map.isEmpty()) && !(value instanceof List<?> list && list.isEmpty());
    }

    /** The path without repeated or trailing slashes, "." or "..", as Go's filepath.Clean gives it. */
    static String clean(String path) {
        if (path.isEmpty()) {
            return path;
        }
        String normalized = Path.of(path).normalize().toString();
        if (path.startsWith("/") && !normalized.startsWith("/")) {
            normalized = "/" + normalized;
        }
        // ".." at the root stays at the root
        while (normalized.startsWith("/..")) {
            normalized = normalized.length() == 3 ? "/" : normalized.substring(3);
        }
        return normalized.isEmpty() ? "." : normalized;
    }

    private static EngineException invalidSpec(String spec) {
        return EngineException.invalid("invalid volume specification: '" + spec + "'");
    }
}
