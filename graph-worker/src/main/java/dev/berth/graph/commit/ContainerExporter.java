package dev.berth.graph.commit;

import dev.berth.bus.contract.image.ContainerChanges.Kind;
import dev.berth.graph.snapshot.FileChange;
import dev.berth.graph.snapshot.Snapshotter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code docker export}: a container's whole file system as one tar, read from the snapshotter's
 * read-only view of it (a private overlay mount under overlay2, the container's own tree under
 * vfs), which does not depend on the container running.
 */
public final class ContainerExporter {
    private final Snapshotter snapshots;

    public ContainerExporter(Snapshotter snapshots) {
        this.snapshots = snapshots;
    }

    /** A view of one container's file system; close releases it. */
    public static final class View implements AutoCloseable {
        private final Snapshotter.View view;

        private View(Snapshotter.View view) {
            this.view = view;
        }

        /** Writes the tar into out (not closed). */
        public void write(OutputStream out) throws IOException {
            LayerTarWriter tar = new LayerTarWriter(out);
            walk(view.root(), "", tar);
            tar.finish();
        }

        @Override
        public void close() throws IOException {
            view.close();
        }
    }

    /** Opens the view; NOT_FOUND when the container has no snapshot. */
    public View open(String id) throws IOException {
        return new View(snapshots.view(id));
    }

    /** Adds every path under directory, parents first, in name order. */
    private static void walk(Path directory, String relative, LayerTarWriter out) throws IOException {
        String[] names;
        try (Stream<Path> children = Files.list(directory)) {
            names = children.map(child -> child.getFileName().toString()).toArray(String[]::new);
        }
        Arrays.sort(names);
        for (String name : names) {
            Path file = directory.resolve(name);
            String childRelative = relative.isEmpty() ? name : relative + "/" + name;
            Map<String, Object> attributes = Files.readAttributes(file, "unix:*", LinkOption.NOFOLLOW_LINKS);
            FileChange entry = new FileChange("/" + childRelative, file, Kind.ADDED, FileChange.Form.PRESENT, attributes);
            out.add(entry);
            if (entry.isDirectory()) {
                walk(file, childRelative, out);
            }
        }
    }
}
