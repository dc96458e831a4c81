package dev.berth.exec.volume;

import dev.berth.host.FileTrees;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.volume.CreateVolume;
import dev.berth.bus.contract.volume.PrunedVolumes;
import dev.berth.bus.contract.volume.VolumeView;
import dev.berth.exec.store.VolumeStore;
import dev.berth.host.Mounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exec worker's volumes, local driver only: each is data-root/volumes/NAME/_data, recorded in
 * the volume store. A volume with the local driver's type/device/o options has its device mounted
 * on _data when a container first needs it, and unmounted when no container uses it any more or
 * the volume is removed. Methods block on disk and are called from the worker's own pool; they
 * are synchronized, so that a removal never races a container taking the volume.
 */
public final class VolumeService {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeService.class);
    private static final Set<String> LOCAL_OPTIONS = Set.of("type", "device", "o");
    private static final Set<String> LIST_FILTERS = Set.of("dangling", "name", "label", "driver");
    private static final Set<String> PRUNE_FILTERS = Set.of("label", "label!", "all");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final VolumeStore store;
    private final Mounts mounts;
    private final VolumeCopyUp copyUp;
    private final Map<String, VolumeRecord> volumes = new TreeMap<>();
    /** The ids of the containers that mount a volume, stopped ones too. */
    private volatile Function<String, List<String>> users = name -> List.of();
    private volatile VolumeEvents events = VolumeEvents.NONE;

    public VolumeService(Path root, VolumeStore store, Mounts mounts, VolumeCopyUp copyUp) {
        this.root = root;
        this.store = store;
        this.mounts = mounts;
        this.copyUp = copyUp;
    }

    /** Tells the service which containers use a volume; set once at wiring, before any job. */
    public void usersFrom(Function<String, List<String>> usersOfVolume) {
        this.users = usersOfVolume;
    }

    /** Where volume events go; set once at wiring, before any job. */
    public void announceTo(VolumeEvents sink) {
        this.events = sink;
    }

    public synchronized void load() throws IOException {
        for (String record : store.loadAll()) {
            VolumeRecord volume = JobCodec.decode(record, VolumeRecord.class);
            volumes.put(volume.name(), volume);
        }
    }

    // ---- jobs -----------------------------------------------------------------------------------

    public synchronized VolumeView create(CreateVolume args) {
        String driver = args.driver() == null || args.driver().isEmpty() ? "local" : args.driver();
        if (!driver.equals("local")) {
            throw EngineException.notFound("error looking up volume plugin " + driver + ": plugin \"" + driver + "\" not found");
        }
        String name = args.name() == null || args.name().isEmpty() ? randomName() : args.name();
        checkName(name);
        VolumeRecord existing = volumes.get(name);
        if (existing != null) {
            return view(existing);
        }
        Map<String, String> options = args.driverOpts();
        checkOptions(options);
        return view(add(new VolumeRecord(name, driver, now(), args.labels(), options)));
    }

    public synchronized VolumeView inspect(String name) {
        return view(get(name));
    }

    public synchronized List<VolumeView> list(Map<String, List<String>> filters) {
        Map<String, List<String>> given = filters == null ? Map.of() : filters;
        for (String key : given.keySet()) {
            if (!LIST_FILTERS.contains(key)) {
                throw EngineException.invalid("invalid filter '" + key + "'");
            }
        }
        List<Boolean> dangling = new ArrayList<>();
        for (String value : given.getOrDefault("dangling", List.of())) {
            dangling.add(switch (value.toLowerCase()) {
                case "true", "1" -> true;
                case "false", "0" -> false;
                default -> throw EngineException.invalid("invalid filter 'dangling=" + value + "'");
            });
        }
        List<VolumeView> result = new ArrayList<>();
        for (VolumeRecord volume : volumes.values()) {
            boolean unused = users.apply(volume.name()).isEmpty();
            if (!dangling.isEmpty() && !dangling.contains(unused)) {
                continue;
            }
            if (!anyMatches(given.get("name"), volume.name()::contains)
                    || !anyMatches(given.get("driver"), volume.driver()::equals)
                    || !allMatch(given.get("label"), label -> hasLabel(volume, label))) {
                continue;
            }
            result.add(view(volume));
        }
        return result;
    }

    public synchronized void remove(String name, boolean force) {
        VolumeRecord volume = volumes.get(name);
        if (volume == null) {
            if (force) {
                return;
            }
            throw noSuchVolume(name);
        }
        List<String> usedBy = users.apply(name);
        if (!usedBy.isEmpty()) {
            throw EngineException.conflict("remove " + name + ": volume is in use - " + usedBy);
        }
        delete(volume);
    }

    public synchronized PrunedVolumes prune(Map<String, List<String>> filters) {
        Map<String, List<String>> given = filters == null ? Map.of() : filters;
        for (String key : given.keySet()) {
            if (!PRUNE_FILTERS.contains(key)) {
                throw EngineException.invalid("invalid filter '" + key + "'");
            }
        }
        boolean all = false;
        for (String value : given.getOrDefault("all", List.of())) {
            all = switch (value.toLowerCase()) {
                case "true", "1" -> true;
                case "false", "0" -> all;
                default -> throw EngineException.invalid("invalid filter 'all=" + value + "'");
            };
        }
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (VolumeRecord volume : List.copyOf(volumes.values())) {
            if (!all && !volume.anonymous() || !users.apply(volume.name()).isEmpty()
                    || !allMatch(given.get("label"), label -> hasLabel(volume, label))
                    || !allMatch(given.get("label!"), label -> !hasLabel(volume, label))) {
                continue;
            }
            long size = volume.mountsDevice() ? 0 : sizeOf(dataPath(volume.name()));
            delete(volume);
            deleted.add(volume.name());
            reclaimed += size;
        }
        events.publish("prune", "", Map.of("reclaimed", Long.toString(reclaimed)));
        return new PrunedVolumes(deleted.isEmpty() ? null : deleted, reclaimed);
    }

    // ---- what containers need -------------------------------------------------------------------

    /**
     * The volume a new container's mount names, made if it does not exist yet (with no labels
     * and no options, as dockerd makes it); an anonymous mount gets a new volume of its own.
     */
    public synchronized MountSpec forContainer(MountSpec mount) {
        VolumeRecord volume;
        if (mount.name().isEmpty()) {
            volume = add(new VolumeRecord(randomName(), "local", now(), Map.of(VolumeRecord.ANONYMOUS_LABEL, ""), null));
        } else {
            volume = volumes.get(mount.name());
            if (volume == null) {
                volume = add(new VolumeRecord(mount.name(), "local", now(), null, null));
            }
        }
        return mount.withVolume(volume.name(), dataPath(volume.name()).toString());
    }

    /**
     * Makes a volume ready for a start: its device mounted, and, when it is still empty, filled
     * from the image's content at the mount's destination (unless nocopy).
     *
     * @param imagePath the destination resolved inside the container's root file system
     */
    public synchronized Path prepare(MountSpec mount, Path imagePath) {
        VolumeRecord volume = volumes.get(mount.name());
        if (volume == null) {
            throw EngineException.notFound("get " + mount.name() + ": no such volume");
        }
        Path data = dataPath(volume.name());
        try {
            Files.createDirectories(data);
            if (volume.mountsDevice() && mounts.mountsUnder(data).isEmpty()) {
                mountDevice(volume, data);
            }
            if (!mount.noCopy() && VolumeCopyUp.isEmpty(data)) {
                copyUp.copy(imagePath, data);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("error while mounting volume '" + data + "': " + e.getMessage(), e);
        }
        return data;
    }

    /**
     * After containers went away: unmounts the devices of volumes nobody uses any more and, for
     * `rm -v` and `--rm`, removes the anonymous volumes that were the container's own.
     */
    public synchronized void released(List<MountSpec> containerMounts, boolean removeAnonymous) {
        for (MountSpec mount : containerMounts) {
            VolumeRecord volume = mount.isVolume() ? volumes.get(mount.name()) : null;
            if (volume == null || !users.apply(volume.name()).isEmpty()) {
                continue;
            }
            if (removeAnonymous && mount.anonymous()) {
                delete(volume);
            } else if (volume.mountsDevice()) {
                unmountDevice(volume);
            }
        }
    }

    /**
     * A container's volumes are in place for its run: dockerd's mount event for each, with the
     * container, the destination, read/write and the propagation.
     */
    public void mountedBy(String containerId, List<MountSpec> containerMounts) {
        for (MountSpec mount : containerMounts) {
            if (mount.isVolume()) {
                events.publish("mount", mount.name(), Map.of("driver", driverOf(mount.name()), "container", containerId,
                        "destination", mount.destination(), "read/write", Boolean.toString(!mount.readOnly()),
                        "propagation", mount.propagation()));
            }
        }
    }

    /** The run that had the volumes is over (its exit, or a start that failed after mounting them). */
    public void unmountedBy(String containerId, List<MountSpec> containerMounts) {
        for (MountSpec mount : containerMounts) {
            if (mount.isVolume()) {
                events.publish("unmount", mount.name(), Map.of("driver", driverOf(mount.name()), "container", containerId));
            }
        }
    }

    private synchronized String driverOf(String name) {
        VolumeRecord volume = volumes.get(name);
        return volume == null ? "local" : volume.driver();
    }

    // ---- inside -------------------------------------------------------------------------------

    private VolumeRecord add(VolumeRecord volume) {
        Path directory = root.resolve(volume.name());
        try {
            store.insert(volume.name(), JobCodec.encodeToString(volume));
            Files.createDirectories(directory.resolve("_data"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create volume " + volume.name() + ": " + e.getMessage(), e);
        }
        volumes.put(volume.name(), volume);
        events.publish("create", volume.name(), Map.of("driver", volume.driver()));
        return volume;
    }

    private void delete(VolumeRecord volume) {
        try {
            if (volume.mountsDevice()) {
                unmountDevice(volume);
            }
            Path directory = root.resolve(volume.name());
            if (!mounts.mountsUnder(directory).isEmpty()) {
                throw EngineException.conflict("remove " + volume.name() + ": volume is still mounted");
            }
            FileTrees.deleteTree(directory);
            store.delete(volume.name());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove volume " + volume.name() + ": " + e.getMessage(), e);
        }
        volumes.remove(volume.name());
        events.publish("destroy", volume.name(), Map.of("driver", volume.driver()));
    }

    private void mountDevice(VolumeRecord volume, Path data) throws IOException {
        Map<String, String> options = volume.options();
        MountOptions parsed = MountOptions.parse(options.getOrDefault("o", ""));
        String device = options.getOrDefault("device", "");
        if (parsed.bind() && !Files.exists(Path.of(device))) {
            throw EngineException.invalid("failed to mount local volume: mount " + device + ":" + data
                    + ", flags: 0x1000: no such file or directory");
        }
        mounts.mount(device, data, options.get("type"), parsed.flags(), parsed.data());
        if (parsed.bind() && (parsed.flags() & Mounts.MS_RDONLY) != 0) {
            // a bind takes read-only only from a remount
            mounts.mount("", data, null, Mounts.MS_BIND | Mounts.MS_REMOUNT | Mounts.MS_RDONLY, null);
        }
    }

    private void unmountDevice(VolumeRecord volume) {
        Path data = dataPath(volume.name());
        try {
            for (Path mounted : mounts.mountsUnder(data)) {
                mounts.unmount(mounted, 0);
            }
        } catch (IOException e) {
            LOG.warn("cannot unmount volume {}: {}", volume.name(), e.toString());
        }
    }

    private Path dataPath(String name) {
        return root.resolve(name).resolve("_data");
    }

    private VolumeRecord get(String name) {
        VolumeRecord volume = volumes.get(name);
        if (volume == null) {
            throw noSuchVolume(name);
        }
        return volume;
    }

    private VolumeView view(VolumeRecord volume) {
        return new VolumeView(volume.name(), volume.driver(), dataPath(volume.name()).toString(), volume.createdAt(),
                volume.labels(), volume.options(), "local", users.apply(volume.name()));
    }

    private static EngineException noSuchVolume(String name) {
        return new EngineException(ErrorKind.NOT_FOUND, "get " + name + ": no such volume");
    }

    static void checkName(String name) {
        if (!MountSpecs.VOLUME_NAME.matcher(name).matches()) {
            throw EngineException.invalid("create " + name + ": \"" + name + "\" includes invalid characters for a local "
                    + "volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host "
                    + "directory, use absolute path");
        }
    }

    /** The local driver's options, as dockerd checks them. */
    static void checkOptions(Map<String, String> options) {
        if (options == null || options.isEmpty()) {
            return;
        }
        for (String key : options.keySet()) {
            if (key.equals("size")) {
                throw EngineException.invalid("quota size requested but no quota support");
            }
            if (!LOCAL_OPTIONS.contains(key)) {
                throw EngineException.invalid("invalid option: \"" + key + "\"");
            }
        }
        if (!options.containsKey("type") || options.get("type").isEmpty()) {
            throw EngineException.invalid("missing required option: \"type\"");
        }
        if (!options.containsKey("device") || options.get("device").isEmpty()) {
            throw EngineException.invalid("missing required option: \"device\"");
        }
        MountOptions parsed = MountOptions.parse(options.getOrDefault("o", ""));
        if (parsed.bind() && !options.get("device").startsWith("/")) {
            throw EngineException.invalid("invalid option: device must be an absolute path for a bind");
        }
    }

    private static boolean hasLabel(VolumeRecord volume, String filter) {
        Map<String, String> labels = volume.labels() == null ? Map.of() : volume.labels();
        int eq = filter.indexOf('=');
        if (eq < 0) {
            return labels.containsKey(filter);
        }
        String key = filter.substring(0, eq);
        return labels.containsKey(key) && filter.substring(eq + 1).equals(labels.get(key));
    }

    private static boolean anyMatches(List<String> values, java.util.function.Predicate<String> test) {
        return values == null || values.isEmpty() || values.stream().anyMatch(test);
    }

    private static boolean allMatch(List<String> values, java.util.function.Predicate<String> test) {
        return values == null || values.stream().allMatch(test);
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String randomName() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static long sizeOf(Path directory) {
        AtomicLong total = new AtomicLong();
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.forEach(path -> {
                try {
                    if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                        total.addAndGet(Files.size(path));
                    }
                } catch (IOException e) {
                    // gone meanwhile: it takes no space
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return total.get();
        }
        return total.get();
    }

}
