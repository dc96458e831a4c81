package dev.berth.graph.commit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.EngineException;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.image.CommitImage;
import dev.berth.bus.contract.image.CommittedImage;
import dev.berth.bus.contract.image.ContainerChanges;
import dev.berth.bus.contract.image.ContainerChangesRequest;
import dev.berth.graph.content.ContentStore;
import dev.berth.graph.content.Digest;
import dev.berth.graph.gc.Pins;
import dev.berth.graph.image.ImageConfig;
import dev.berth.graph.image.ImageImporter;
import dev.berth.graph.image.ImageRecord;
import dev.berth.graph.image.ImageService;
import dev.berth.graph.image.ImageStore;
import dev.berth.graph.snapshot.FileChange;
import dev.berth.graph.snapshot.Snapshotter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code docker diff} and {@code docker commit}: a container's changes as its snapshotter finds them,
 * and turned into a layer and an image whose parent is the container's image. The layer tar goes
 * to the content store under its diff id, then the image is imported like a loaded one, which
 * reuses the parent's unpacked layers and unpacks the new one with the hardened extraction.
 */
public final class ImageCommitter {
    private final Snapshotter snapshots;
    private final ContentStore content;
    private final ImageImporter importer;
    private final ImageStore store;
    private final ImageService images;
    private final Pins pins;

    public ImageCommitter(Snapshotter snapshots, ContentStore content, ImageImporter importer, ImageStore store, ImageService images,
            Pins pins) {
        this.snapshots = snapshots;
        this.content = content;
        this.importer = importer;
        this.store = store;
        this.images = images;
        this.pins = pins;
    }

    public ContainerChanges changes(ContainerChangesRequest request) throws IOException {
        List<ContainerChanges.Change> changes = new ArrayList<>();
        for (FileChange entry : snapshots.changes(request.id(), new HashSet<>(request.mountPoints()))) {
            changes.add(new ContainerChanges.Change(entry.path(), entry.kind()));
        }
        changes.sort(Comparator.comparing(ContainerChanges.Change::path));
        return new ContainerChanges(changes);
    }

    private Snapshotter.Snapshot snapshot(String id) throws IOException {
        return snapshots.get(id).orElseThrow(() -> EngineException.notFound("No such container: " + id));
    }

    public CommittedImage commit(CommitImage request) throws IOException {
        return commit(request, config -> {
        });
    }

    /**
     * A commit whose config edit also changes the runtime config after the changes apply: the
     * builder's HEALTHCHECK and SHELL, which commit -c does not take, and the ONBUILD triggers a
     * build does not pass on.
     */
    public CommittedImage commit(CommitImage request, Consumer<ObjectNode> edit) throws IOException {
        Snapshotter.Snapshot snapshot = snapshot(request.container());
        List<FileChange> entries = snapshots.changes(request.container(), new HashSet<>(request.mountPoints()));
        ImageConfig parent = store.config(snapshot.image());
        Digest layer = entries.isEmpty() ? null : storeLayer(entries);
        try {
            byte[] config = newConfig(parent, request, layer, edit);
            List<Digest> diffIds = ImageConfig.parse(config).diffIds();
            List<ImageImporter.LayerSource> sources = new ArrayList<>();
            for (Digest diffId : diffIds) {
                sources.add(storedLayer(diffId));
            }
            ImageRecord image = importer.importImage(config, sources, ImageImporter.Progress.NONE);
            store.setParent(image.id(), snapshot.image());
            images.events().publish("create", image.id(), image.id().toString());
            String reference = "";
            if (request.repo() != null && !request.repo().isEmpty()) {
                reference = images.tag(image.id().toString(), request.repo(), request.tag());
            }
            return new CommittedImage(image.id().toString(), reference);
        } finally {
            if (layer != null) {
                pins.unpinBlob(layer);
            }
        }
    }

    /** Writes the layer tar to the content store; returns its diff id, pinned until the image holds it. */
    private Digest storeLayer(List<FileChange> entries) throws IOException {
        try (ContentStore.Writer writer = content.writer()) {
            OutputStream out = new BufferedOutputStream(writer.stream(), 1 << 16);
            LayerTarWriter.write(entries, out);
            out.flush();
            Digest diffId = writer.finish();
            pins.pinBlob(diffId);
            try {
                writer.commit(diffId);
            } catch (IOException | RuntimeException e) {
                pins.unpinBlob(diffId);
                throw e;
            }
            return diffId;
        }
    }

    /** A layer whose tar is in the content store already: the parent's, or the one just written. */
    private ImageImporter.LayerSource storedLayer(Digest diffId) {
        return new ImageImporter.LayerSource() {
            @Override
            public InputStream open() throws IOException {
                return content.open(diffId);
            }

            @Override
            public long size() {
                return -1;
            }

            @Override
            public Digest storedAs() {
                return diffId;
            }
        };
    }

    private byte[] newConfig(ImageConfig parent, CommitImage request, Digest layer, Consumer<ObjectNode> edit) throws IOException {
        String now = Instant.now().toString();
        ObjectNode runtime = request.config() == null ? parent.config().deepCopy()
                : (ObjectNode) JobCodec.mapper().valueToTree(request.config());
        ConfigChanges.apply(runtime, request.changes());
        edit.accept(runtime);
        ObjectNode config = ImageConfig.JSON.createObjectNode();
        config.put("architecture", parent.architecture().isEmpty() ? "amd64" : parent.architecture());
        if (!parent.variant().isEmpty()) {
            config.put("variant", parent.variant());
        }
        config.put("os", parent.os().isEmpty() ? "linux" : parent.os());
        if (request.author() != null && !request.author().isEmpty()) {
            config.put("author", request.author());
        }
        if (request.comment() != null && !request.comment().isEmpty()) {
            config.put("comment", request.comment());
        }
        config.put("created", now);
        config.put("container", request.container());
        config.set("config", runtime);
        ArrayNode history = parent.history().deepCopy();
        ObjectNode step = history.addObject();
        step.put("created", now);
        if (request.author() != null && !request.author().isEmpty()) {
            step.put("author", request.author());
        }
        step.put("created_by", createdBy(request));
        if (request.comment() != null && !request.comment().isEmpty()) {
            step.put("comment", request.comment());
        }
        if (layer == null) {
            step.put("empty_layer", true);
        }
        config.set("history", history);
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        parent.diffIds().forEach(diffId -> diffIds.add(diffId.toString()));
        if (layer != null) {
            diffIds.add(layer.toString());
        }
        return ImageConfig.JSON.writeValueAsBytes(config);
    }

    /** What dockerd writes: the container's command, words joined by blanks. */
    private static String createdBy(CommitImage request) {
        if (request.config() == null || request.config().cmd() == null) {
            return "";
        }
        List<String> words = new ArrayList<>();
        if (request.config().entrypoint() != null) {
            words.addAll(request.config().entrypoint());
        }
        words.addAll(request.config().cmd());
        return String.join(" ", words);
    }
}
