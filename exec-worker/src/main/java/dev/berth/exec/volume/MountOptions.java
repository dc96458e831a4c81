package dev.berth.exec.volume;

import dev.berth.host.Mounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The `o` option of a local volume, as mount(8) reads it: the words mount(2) takes as flags
 * become flags, the rest stays the file system's data (size=…, uid=…, addr=…).
 */
record MountOptions(long flags, String data, boolean bind) {
    private static final long MS_SYNCHRONOUS = 16;
    private static final long MS_NOATIME = 1024;
    private static final long MS_NODIRATIME = 2048;
    private static final long MS_RELATIME = 1 << 21;
    private static final long MS_STRICTATIME = 1 << 24;

    /** Each flag word and the bits it sets; a word with 0 only clears (rw, suid, dev, exec). */
    private static final Map<String, Long> SETS = Map.ofEntries(
            Map.entry("ro", Mounts.MS_RDONLY), Map.entry("nosuid", Mounts.MS_NOSUID), Map.entry("nodev", Mounts.MS_NODEV),
            Map.entry("noexec", Mounts.MS_NOEXEC), Map.entry("sync", MS_SYNCHRONOUS), Map.entry("noatime", MS_NOATIME),
            Map.entry("nodiratime", MS_NODIRATIME), Map.entry("relatime", MS_RELATIME),
            Map.entry("strictatime", MS_STRICTATIME), Map.entry("bind", Mounts.MS_BIND),
            Map.entry("rbind", Mounts.MS_BIND | Mounts.MS_REC));
    private static final Map<String, Long> CLEARS = Map.of("rw", Mounts.MS_RDONLY, "suid", Mounts.MS_NOSUID,
            "dev", Mounts.MS_NODEV, "exec", Mounts.MS_NOEXEC, "async", MS_SYNCHRONOUS, "defaults", 0L);

    static MountOptions parse(String options) {
        long flags = 0;
        List<String> data = new ArrayList<>();
        for (String word : options.split(",")) {
            if (word.isEmpty()) {
                continue;
            }
            if (SETS.containsKey(word)) {
                flags |= SETS.get(word);
            } else if (CLEARS.containsKey(word)) {
                flags &= ~CLEARS.get(word);
            } else {
                data.add(word);
            }
        }
        return new MountOptions(flags, String.join(",", data), (flags & Mounts.MS_BIND) != 0);
    }
}
