package dev.berth.exec.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the kernel OOM-killed a process of a container, from its memory cgroup's counter
 * (v1 memory.oom_control, v2 memory.events: {@code oom_kill N}). conmon's own oom file is
 * written by a callback that may run after conmon reports the exit, so the exit monitor asks the
 * cgroup too, while it still exists (before the runtime's delete).
 */
final class OomKills {
    private OomKills() {
    }

    static boolean counted(Path cgroupRoot, String cgroupParent, String containerId, boolean unified) {
        String parent = cgroupParent.startsWith("/") ? cgroupParent.substring(1) : cgroupParent;
        Path file = unified
                ? cgroupRoot.resolve(parent).resolve(containerId).resolve("memory.events")
                : cgroupRoot.resolve("memory").resolve(parent).resolve(containerId).resolve("memory.oom_control");
        try {
            for (String line : Files.readAllLines(file)) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length == 2 && fields[0].equals("oom_kill")) {
                    return Long.parseLong(fields[1]) > 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false; // no cgroup left to ask: conmon's file is the only witness
        }
        return false;
    }
}
