package dev.berth.graph.build;

import dev.berth.bus.EngineException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where COPY and ADD put each source: the classic builder's rules. A directory's contents go into
 * the destination; a file goes to the destination itself, or into it when the destination ends
 * in '/' (or is '.') or there are several sources. A relative destination is under the working directory.
 * A source with {@code * ? [} is a pattern matched against every path of the root, a
 * {@code *} not crossing a '/'. Sources are found below a root (the context, or another stage's
 * or image's file system for {@code COPY --from}) and stay inside it: a symlink on the way is
 * followed as if the root were '/' ({@link RootedPaths}).
 */
public final class CopySources {
    /**
     * One source below the root and the absolute path (in the image) it is copied to.
     *
     * @param keepOwner the source is what ADD extracted from an archive, whose owners it keeps
     */
    public record Placement(Path source, String target, boolean keepOwner) {
        public Placement(Path source, String target) {
            this(source, target, false);
        }
    }

    private CopySources() {
    }

    public static List<Placement> place(Path root, List<String> sources, String destination, String workdir)
            throws IOException {
        if (sources.isEmpty()) {
            throw EngineException.invalid("COPY requires at least two arguments");
        }
        String dest = absolute(destination, workdir);
        Path base = root.toAbsolutePath().normalize();
        List<Path> found = new ArrayList<>();
        for (String name : sources) {
            String relative = name.startsWith("/") ? name.substring(1) : name;
            if (!base.resolve(relative).normalize().startsWith(base)) {
                throw EngineException.invalid("COPY failed: forbidden path outside the build context: " + name);
            }
            if (isPattern(relative)) {
                List<Path> matches = matching(base, relative);
                if (matches.isEmpty()) {
                    throw EngineException.invalid("COPY failed: no source files were specified (" + name + " matched nothing)");
                }
                found.addAll(matches);
                continue;
            }
            Path source = RootedPaths.resolve(base, relative);
            if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                throw EngineException.invalid("COPY failed: file not found in build context or excluded by .dockerignore: stat "
                        + name + ": file does not exist");
            }
            found.add(source);
        }
        boolean intoDirectory = dest.endsWith("/") || found.size() > 1;
        List<Placement> placements = new ArrayList<>();
        for (Path source : found) {
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

    /** The destination as an absolute path in the image, a relative one under the working directory. */
    private static String absolute(String destination, String workdir) {
        String dest = destination.startsWith("/") ? destination
                : (workdir == null || workdir.isEmpty() ? "/" : workdir.endsWith("/") ? workdir : workdir + "/") + destination;
        return dest.endsWith("/.") ? dest.substring(0, dest.length() - 1) : dest;
    }

    /** The destination taken as a directory, where ADD extracts an archive. */
    public static String directory(String destination, String workdir) {
        return stripTrailingSlash(absolute(destination, workdir));
    }

    static boolean isPattern(String name) {
        return name.contains("*") || name.contains("?") || name.contains("[");
    }

    /** The paths below base (links not followed) whose relative name matches pattern, in name order. */
    private static List<Path> matching(Path base, String pattern) throws IOException {
        // ./*.txt names what *.txt does; braces are literal in Go's patterns, alternatives in Java's.
        String cleaned = Path.of(pattern).normalize().toString().replace("{", "\\{").replace("}", "\\}");
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + cleaned);
        try (Stream<Path> walk = Files.walk(base)) {
            return walk.filter(path -> !path.equals(base) && matcher.matches(base.relativize(path))).sorted().toList();
        }
    }

    private static String stripTrailingSlash(String path) {
        String stripped = path;
        while (stripped.length() > 1 && stripped.endsWith("/")) {
            stripped = stripped.substring(0, stripped.length() - 1);
        }
        return stripped;
    }
}
