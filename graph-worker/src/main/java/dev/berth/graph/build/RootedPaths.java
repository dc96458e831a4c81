package dev.berth.graph.build;

import dev.berth.bus.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a name below a root as if the root were '/': '..' stops at the root and a symlink is
 * followed inside it, an absolute target starting again from the root. What the build reads (a
 * context's files, another image's file system, its /etc/passwd) is then always below the root,
 * whatever links it holds.
 */
final class RootedPaths {
    private static final int MAX_LINKS = 255;

    private RootedPaths() {
    }

    static Path resolve(Path root, String name) throws IOException {
        Deque<String> pending = new ArrayDeque<>(List.of(name.split("/")));
        List<String> resolved = new ArrayList<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String part = pending.pollFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.remove(resolved.size() - 1);
                }
                continue;
            }
            Path candidate = join(root, resolved).resolve(part);
            if (!Files.isSymbolicLink(candidate)) {
                resolved.add(part);
                continue;
            }
            if (++links > MAX_LINKS) {
                throw EngineException.invalid("too many levels of symbolic links: " + name);
            }
            String target = Files.readSymbolicLink(candidate).toString();
            if (target.startsWith("/")) {
                resolved.clear();
            }
            String[] parts = target.split("/");
            for (int i = parts.length - 1; i >= 0; i--) {
                pending.addFirst(parts[i]);
            }
        }
        return join(root, resolved);
    }

    private static Path join(Path root, List<String> parts) {
        return parts.isEmpty() ? root : root.resolve(String.join("/", parts));
    }
}
