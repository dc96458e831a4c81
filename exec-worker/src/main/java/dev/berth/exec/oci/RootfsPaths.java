package dev.berth.exec.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;

/**
 * Resolves a path inside a container's root file system the way the container would see it:
 * symlinks are followed, but an absolute link restarts at the container's root and ".." never
 * climbs above it. The image is untrusted; a link such as /app -> /etc must never let the daemon
 * touch the host's /etc.
 */
public final class RootfsPaths {
    private static final int MAX_LINKS = 40;

    private RootfsPaths() {
    }

    /** The host path for containerPath; components that do not exist are appended as they are. */
    public static Path resolve(Path root, String containerPath) throws IOException {
        return join(root, parts(resolveIn(path -> root.resolve(path.substring(1)), containerPath)));
    }

    /**
     * The clean container path that containerPath leads to, links followed, in a container whose
     * paths are not all in one host directory: hostOf gives the host path of each clean container
     * path ("/a/b"), where its links are read.
     */
    public static String resolveIn(Function<String, Path> hostOf, String containerPath) throws IOException {
        Deque<String> pending = new ArrayDeque<>();
        push(pending, containerPath);
        Deque<String> resolved = new ArrayDeque<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String part = pending.pop();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                resolved.pollLast();
                continue;
            }
            Path candidate = hostOf.apply(containerPath(resolved, part));
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw new IOException("too many levels of symbolic links in " + containerPath);
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                push(pending, target);
                continue;
            }
            resolved.addLast(part);
        }
        return containerPath(resolved, null);
    }

    private static String containerPath(Deque<String> parts, String last) {
        StringBuilder path = new StringBuilder();
        for (String part : parts) {
            path.append('/').append(part);
        }
        if (last != null) {
            path.append('/').append(last);
        }
        return path.length() == 0 ? "/" : path.toString();
    }

    private static Deque<String> parts(String containerPath) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : containerPath.split("/")) {
            if (!part.isEmpty()) {
                parts.addLast(part);
            }
        }
        return parts;
    }

    /** Creates containerPath (and its parents) inside root, never outside it. */
    public static Path mkdirs(Path root, String containerPath) throws IOException {
        Path target = resolve(root, containerPath);
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(target);
        }
        return target;
    }

    private static void push(Deque<String> pending, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            pending.push(parts[i]);
        }
    }

    private static Path join(Path root, Deque<String> parts) {
        Path path = root;
        for (String part : parts) {
            path = path.resolve(part);
        }
        return path;
    }
}
