package dev.berth.graph.build;

import dev.berth.bus.EngineException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where COPY and ADD put each source: the classic builder's rules. A directory's contents go into
 * the destination; a file goes to the destination itself, or into it when the destination ends
 * in '/' (or is '.') or there are several sources. A relative destination is under the working directory.
 * A source must stay inside the context.
 */
public final class CopySources {
    /** One source in the context and the absolute path (in the image) it is copied to. */
    public record Placement(Path source, String target) {
    }

    private CopySources() {
    }

    public static List<Placement> place(Path context, List<String> sources, String destination, String workdir) {
        if (sources.isEmpty()) {
            throw EngineException.invalid("COPY requires at least two arguments");
        }
        String dest = destination.startsWith("/") ? destination
                : (workdir == null || workdir.isEmpty() ? "/" : workdir.endsWith("/") ? workdir : workdir + "/") + destination;
        if (dest.endsWith("/.")) {
            dest = dest.substring(0, dest.length() - 1);
        }
        boolean intoDirectory = dest.endsWith("/") || sources.size() > 1;
        List<Placement> placements = new ArrayList<>();
        Path root = context.toAbsolutePath().normalize();
        for (String name : sources) {
            Path source = root.resolve(name.startsWith("/") ? name.substring(1) : name).normalize();
            if (!source.startsWith(root)) {
                throw EngineException.invalid("COPY failed: forbidden path outside the build context: " + name);
            }
            if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                throw EngineException.invalid("COPY failed: file not found in build context or excluded by .dockerignore: stat "
                        + name + ": file does not exist");
            }
            String target;
            if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                target = dest;
            } else if (intoDirectory) {
                target = (dest.endsWith("/") ? dest : dest + "/") + source.getFileName();
            } else {
                target = dest;
            }
            placements.add(new Placement(source, stripTrailingSlash(target)));
        }
        return placements;
    }

    private static String stripTrailingSlash(String path) {
        String stripped = path;
        while (stripped.length() > 1 && stripped.endsWith("/")) {
            stripped = stripped.substring(0, stripped.length() - 1);
        }
        return stripped;
    }
}
