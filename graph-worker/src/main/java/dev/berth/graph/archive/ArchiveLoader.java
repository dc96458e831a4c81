package dev.berth.graph.archive;

import dev.berth.graph.unpack.Decompression;
import dev.berth.bus.contract.image.LoadProgress;
import dev.berth.bus.EngineException;
import dev.berth.graph.content.ContentStore;
import dev.berth.graph.content.Digest;
import dev.berth.graph.gc.GarbageCollector;
import dev.berth.graph.gc.Pins;
import dev.berth.graph.image.ImageConfig;
import dev.berth.graph.image.ImageEvents;
import dev.berth.graph.image.ImageImporter;
import dev.berth.graph.image.ImageRecord;
import dev.berth.graph.image.ImageStore;
import dev.berth.graph.manifest.ArchiveManifestEntry;
import dev.berth.graph.manifest.Descriptor;
import dev.berth.graph.manifest.ImageIndex;
import dev.berth.graph.manifest.ImageManifest;
import dev.berth.graph.manifest.ManifestDocument;
import dev.berth.graph.manifest.Manifests;
import dev.berth.graph.manifest.Platform;
import dev.berth.graph.reference.Reference;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code docker load}: reads a docker-archive from a stream and stores its images. Accepts the
 * layout of Docker 25 and later (an OCI layout plus manifest.json), the legacy one
 * ({@code <v1 id>/layer.tar}, duplicate layers as symlinks) and, lacking a manifest.json, a plain
 * OCI image layout (index.json). Layers may be uncompressed, gzip, bzip2, xz or zstd; every diff
 * id is checked.
 *
 * <p>The archive's entries are never extracted by name: each file is staged in the content
 * store's ingest area and found by its archive path later, so the outer archive cannot write
 * outside the store. Entries named {@code blobs/sha256/<hex>} that the store already holds are
 * skipped, which makes loading an image twice cheap. If anything fails, what this load staged or
 * created is removed before the error is reported.
 */
public final class ArchiveLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveLoader.class);
    private static final Pattern BLOB = Pattern.compile("^blobs/sha256/([a-f0-9]{64})$");
    private static final int MAX_METADATA = ImageConfig.MAX_BYTES;
    private static final int MAX_ENTRIES = 100_000;
    private static final int MAX_LINK_DEPTH = 40;

    /** Receives the load's progress, one message at a time. */
    @FunctionalInterface
    public interface Output {
        void send(LoadProgress message) throws IOException;
    }

    private final ContentStore content;
    private final ImageImporter importer;
    private final ImageStore images;
    private final Pins pins;
    private final GarbageCollector collector;
    private final ImageEvents events;
    private final Object mutations;

    public ArchiveLoader(ContentStore content, ImageImporter importer, ImageStore images, Pins pins, GarbageCollector collector,
            ImageEvents events, Object mutations) {
        this.content = content;
        this.importer = importer;
        this.images = images;
        this.pins = pins;
        this.collector = collector;
        this.events = events;
        this.mutations = mutations;
    }

    /** Loads every image of the archive; INVALID_ARGUMENT for archives that are not valid ones. */
    public void load(InputStream archive, boolean quiet, Output output) throws IOException {
        try (Staging staging = new Staging()) {
            boolean loaded = false;
            try {
                staging.read(archive);
                drain(archive);
                loadStaged(staging, quiet, output);
                loaded = true;
            } finally {
                staging.close();
                if (!loaded) {
                    collectQuietly();
                }
            }
        }
    }

    private void collectQuietly() {
        try {
            collector.collect();
        } catch (IOException | RuntimeException e) {
            LOG.warn("cleaning up after a failed load: {}", e.toString());
        }
    }

    private static void drain(InputStream archive) throws IOException {
        byte[] buffer = new byte[1 << 16];
        while (archive.read(buffer) >= 0) {
            // trailing padding after the tar's end: read it so the sender sees its body consumed
        }
    }

    // ---- staging --------------------------------------------------------------------------

    /** One file of the archive, staged or already in the store. */
    private record Staged(ContentStore.Writer writer, Digest digest, long size) {
        InputStream open(ContentStore content) throws IOException {
            return writer != null ? writer.openStaged() : content.open(digest);
        }
    }

    private final class Staging implements AutoCloseable {
        final Map<String, Staged> files = new HashMap<>();
        final Map<String, String> symlinks = new HashMap<>();
        final List<Digest> pinnedBlobs = new ArrayList<>();

        void read(InputStream archive) throws IOException {
            Decompression.CountingInput counted = new Decompression.CountingInput(archive);
            TarArchiveInputStream tar = new TarArchiveInputStream(counted);
            int count = 0;
            TarArchiveEntry entry;
            while (true) {
                entry = next(tar);
                if (entry == null) {
                    // commons-compress takes a partial header block for the end; Docker calls it what it is
                    if (counted.count() % 512 != 0) {
                        throw EngineException.invalid("unexpected EOF");
                    }
                    break;
                }
                if (++count > MAX_ENTRIES) {
                    throw EngineException.invalid("invalid archive: more than " + MAX_ENTRIES + " entries");
                }
                String name = clean(entry.getName());
                if (name == null || name.isEmpty()) {
                    continue;
                }
                if (entry.isSymbolicLink()) {
                    String parent = name.contains("/") ? name.substring(0, name.lastIndexOf('/') + 1) : "";
                    String target = entry.getLinkName().startsWith("/") ? clean(entry.getLinkName())
                            : clean(parent + entry.getLinkName());
                    if (target != null) {
                        symlinks.put(name, target);
                    }
                } else if (entry.isLink()) {
                    String target = clean(entry.getLinkName());
                    if (target != null) {
                        symlinks.put(name, target);
                    }
                } else if (entry.isFile()) {
                    stage(tar, entry, name);
                }
            }
        }

        private TarArchiveEntry next(TarArchiveInputStream tar) throws IOException {
            try {
                return tar.getNextEntry();
            } catch (EOFException e) {
                throw EngineException.invalid("unexpected EOF");
            } catch (IOException | IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().toLowerCase().contains("truncated")) {
                    throw EngineException.invalid("unexpected EOF");
                }
                throw EngineException.invalid("invalid tar header: " + e.getMessage());
            }
        }

        private void stage(TarArchiveInputStream tar, TarArchiveEntry entry, String name) throws IOException {
            Staged previous = files.remove(name);
            if (previous != null && previous.writer() != null) {
                previous.writer().close();
            }
            Matcher blob = BLOB.matcher(name);
            if (blob.matches()) {
                Digest digest = new Digest(blob.group(1));
                pins.pinBlob(digest);
                pinnedBlobs.add(digest);
                if (content.exists(digest) && content.size(digest) == entry.getSize()) {
                    files.put(name, new Staged(null, digest, entry.getSize()));
                    return;
                }
            }
            ContentStore.Writer writer = content.writer();
            try {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = read(tar, buffer)) > 0) {
                    writer.stream().write(buffer, 0, n);
                }
                if (writer.size() != entry.getSize()) {
                    throw EngineException.invalid("unexpected EOF");
                }
                Digest digest = writer.finish();
                if (blob.matches() && !digest.hex().equals(blob.group(1))) {
                    throw EngineException.invalid("invalid archive: " + name + " does not match its digest");
                }
                files.put(name, new Staged(writer, digest, writer.size()));
            } catch (IOException | RuntimeException e) {
                writer.close();
                throw e;
            }
        }

        private int read(TarArchiveInputStream tar, byte[] buffer) {
            try {
                return tar.read(buffer);
            } catch (EOFException e) {
                throw EngineException.invalid("unexpected EOF");
            } catch (IOException e) {
                throw EngineException.invalid(e.getMessage() != null && e.getMessage().toLowerCase().contains("truncated")
                        ? "unexpected EOF" : "invalid archive: " + e.getMessage());
            }
        }

        /** The staged file at an archive path, following the archive's own links. */
        Optional<Staged> find(String path) {
            String current = clean(path);
            for (int depth = 0; current != null && depth < MAX_LINK_DEPTH; depth++) {
                Staged staged = files.get(current);
                if (staged != null) {
                    return Optional.of(staged);
                }
                current = symlinks.get(current);
            }
            return Optional.empty();
        }

        byte[] readSmall(String path, String what) throws IOException {
            Staged staged = find(path).orElseThrow(() -> EngineException.invalid("invalid archive: " + what + " " + path
                    + " is missing"));
            if (staged.size() > MAX_METADATA) {
                throw EngineException.invalid("invalid archive: " + path + " is too large");
            }
            try (InputStream in = staged.open(content)) {
                return in.readAllBytes();
            }
        }

        @Override
        public void close() {
            for (Staged staged : files.values()) {
                if (staged.writer() != null) {
                    try {
                        staged.writer().close();
                    } catch (IOException e) {
                        LOG.warn("could not discard a staged file: {}", e.toString());
                    }
                }
            }
            files.clear();
            pinnedBlobs.forEach(pins::unpinBlob);
            pinnedBlobs.clear();
        }
    }

    /** An archive path relative to its root with "." and ".." resolved; null when it climbs out. */
    static String clean(String name) {
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.remove(parts.size() - 1);
            } else {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    // ---- loading --------------------------------------------------------------------------

    /** One image to load: its config, its layers' archive paths and its tags. */
    private record Item(byte[] config, List<String> layers, List<String> repoTags) {
    }

    private void loadStaged(Staging staging, boolean quiet, Output output) throws IOException {
        List<Item> items = staging.find("manifest.json").isPresent() ? dockerItems(staging) : ociItems(staging);
        for (Item item : items) {
            ImageConfig config = ImageConfig.parse(item.config());
            List<ImageImporter.LayerSource> sources = new ArrayList<>();
            for (int i = 0; i < item.layers().size(); i++) {
                String path = item.layers().get(i);
                Staged staged = staging.find(path)
                        .orElseThrow(() -> EngineException.invalid("invalid archive: layer " + path + " is missing"));
                Digest expected = i < config.diffIds().size() ? config.diffIds().get(i) : null;
                sources.add(source(staging, staged, expected));
            }
            ImageImporter.Progress progress = quiet ? ImageImporter.Progress.NONE
                    : (diffId, current, total) -> send(output,
                            LoadProgress.layer(diffId.shortId(), current, total));
            ImageRecord image = importer.importImage(item.config(), sources, progress);
            List<Reference> tags = new ArrayList<>();
            for (String repoTag : item.repoTags()) {
                Reference ref = Reference.parse(repoTag);
                if (!ref.isTagged() || ref.isDigested()) {
                    throw EngineException.invalid("invalid tag \"" + repoTag + "\"");
                }
                tags.add(ref);
            }
            events.publish("load", image.id(), image.id().toString());
            for (Reference tag : tags) {
                Optional<Digest> previous;
                synchronized (mutations) {
                    previous = images.setReference(tag, image.id(), false);
                }
                if (previous.isPresent()) {
                    output.send(LoadProgress.message("The image " + tag.familiarString()
                            + " already exists, renaming the old one with ID " + previous.get() + " to empty string\n"));
                }
                events.publish("tag", image.id(), tag.familiarString());
                output.send(LoadProgress.message("Loaded image: " + tag.familiarString() + "\n"));
            }
            if (tags.isEmpty()) {
                output.send(LoadProgress.message("Loaded image ID: " + image.id() + "\n"));
            }
        }
    }

    private static void send(Output output, LoadProgress message) {
        try {
            output.send(message);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A layer's source. A staged file whose digest is its diff id is an uncompressed layer: it is
     * committed to the store as it is (its tar is what save hands out), saving a copy.
     */
    private ImageImporter.LayerSource source(Staging staging, Staged staged, Digest diffId) throws IOException {
        Digest stored = null;
        if (diffId != null && staged.digest().equals(diffId)) {
            pins.pinBlob(diffId);
            staging.pinnedBlobs.add(diffId);
            if (staged.writer() != null && !content.exists(diffId)) {
                staged.writer().commit(diffId);
            }
            if (content.exists(diffId)) {
                stored = diffId;
            }
        }
        Digest storedAs = stored;
        return new ImageImporter.LayerSource() {
            @Override
            public InputStream open() throws IOException {
                return storedAs != null ? content.open(storedAs) : staged.open(content);
            }

            @Override
            public long size() {
                return staged.size();
            }

            @Override
            public Digest storedAs() {
                return storedAs;
            }
        };
    }

    private List<Item> dockerItems(Staging staging) throws IOException {
        List<Item> items = new ArrayList<>();
        for (ArchiveManifestEntry entry : Manifests.parseArchiveManifest(staging.readSmall("manifest.json", "manifest"))) {
            items.add(new Item(staging.readSmall(entry.config(), "config"), entry.layers(), entry.tags()));
        }
        return items;
    }

    /**
     * A plain OCI image layout: index.json → manifests (this host's platform, from entries that
     * name one and from nested indexes) → config and layers. Nothing for this host is refused.
     */
    private List<Item> ociItems(Staging staging) throws IOException {
        if (staging.find("index.json").isEmpty()) {
            throw EngineException.invalid("invalid archive: does not contain a manifest.json");
        }
        ImageIndex index = Manifests.parseIndex(staging.readSmall("index.json", "index"));
        List<Item> items = new ArrayList<>();
        Platform host = Platform.host();
        for (Descriptor descriptor : index.manifests()) {
            if (descriptor.isAttestation() || (descriptor.platform() != null && !host.matches(descriptor.platform()))) {
                continue; // a multi-platform layout lists each platform's manifest in index.json itself
            }
            ImageManifest manifest = resolveManifest(staging, descriptor, 0);
            if (manifest == null) {
                continue;
            }
            String config = blobPath(staging, manifest.config());
            List<String> layers = new ArrayList<>();
            for (Descriptor layer : manifest.layers()) {
                layers.add(blobPath(staging, layer));
            }
            List<String> tags = new ArrayList<>();
            Map<String, String> annotations = descriptor.annotations() == null ? Map.of() : descriptor.annotations();
            String name = annotations.getOrDefault("io.containerd.image.name", "");
            String refName = annotations.getOrDefault("org.opencontainers.image.ref.name", "");
            String tag = !name.isEmpty() ? name : refName;
            if (!tag.isEmpty() && (tag.contains(":") || tag.contains("/"))) {
                tags.add(tag);
            }
            items.add(new Item(staging.readSmall(config, "config"), layers, tags));
        }
        if (items.isEmpty()) {
            throw EngineException.invalid("invalid archive: index.json names no image for " + host);
        }
        return items;
    }

    /** The image manifest a descriptor leads to; null when an index there has nothing for this host. */
    private ImageManifest resolveManifest(Staging staging, Descriptor descriptor, int depth) throws IOException {
        ManifestDocument document = Manifests.parse(staging.readSmall(blobPath(staging, descriptor), "manifest"),
                descriptor.mediaType());
        if (document instanceof ImageManifest manifest) {
            return manifest;
        }
        if (depth > 2) {
            return null;
        }
        ImageIndex nested = (ImageIndex) document;
        Platform host = Platform.host();
        for (Descriptor child : nested.manifests()) {
            if (!child.isAttestation() && host.matches(child.platform())) {
                return resolveManifest(staging, child, depth + 1);
            }
        }
        return null;
    }

    /**
     * The archive path of the blob a descriptor names. Its content was checked against the digest
     * when it was staged; its size must be the descriptor's too, as the image spec requires.
     */
    private static String blobPath(Staging staging, Descriptor descriptor) {
        String path = "blobs/sha256/" + descriptor.parsedDigest().hex();
        Optional<Staged> staged = staging.find(path);
        if (staged.isPresent() && staged.get().size() != descriptor.size()) {
            throw EngineException.invalid("invalid archive: " + path + " is " + staged.get().size() + " bytes, its descriptor says "
                    + descriptor.size());
        }
        return path;
    }
}
