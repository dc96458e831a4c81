package dev.berth.graph.archive;

import dev.berth.bus.EngineException;
import dev.berth.graph.content.ContentStore;
import dev.berth.graph.content.Digest;
import dev.berth.graph.image.ImageConfig;
import dev.berth.graph.image.ImageEvents;
import dev.berth.graph.image.ImageRecord;
import dev.berth.graph.image.ImageStore;
import dev.berth.graph.manifest.ArchiveManifestEntry;
import dev.berth.graph.manifest.Descriptor;
import dev.berth.graph.manifest.ImageIndex;
import dev.berth.graph.manifest.ImageManifest;
import dev.berth.graph.manifest.Manifests;
import dev.berth.graph.manifest.MediaTypes;
import dev.berth.graph.reference.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * {@code docker save}: writes images as Docker 25 and later do — an OCI image layout (oci-layout,
 * index.json, blobs/sha256 with manifests, configs and uncompressed layers named by diff id) plus
 * manifest.json and repositories for older loaders. Layers are streamed from the content store
 * byte for byte, so their diff ids verify; each is hashed on the way and a corrupt one aborts
 * the archive.
 */
public final class ArchiveSaver {

    /** The images to write, each with the references to record for it. */
    public static final class Plan {
        private final Map<Digest, List<Reference>> images = new LinkedHashMap<>();

        private void add(Digest id, Reference ref) {
            List<Reference> refs = images.computeIfAbsent(id, k -> new ArrayList<>());
            if (ref != null && !refs.contains(ref)) {
                refs.add(ref);
            }
        }

        public int size() {
            return images.size();
        }
    }

    private final ContentStore content;
    private final ImageStore images;
    private final ImageEvents events;

    public ArchiveSaver(ContentStore content, ImageStore images, ImageEvents events) {
        this.content = content;
        this.images = images;
        this.events = events;
    }

    /** Resolves the names as Docker does; NOT_FOUND before anything is written. */
    public Plan plan(List<String> names) throws IOException {
        if (names.isEmpty()) {
            throw EngineException.invalid("no images to save");
        }
        Plan plan = new Plan();
        Map<Digest, List<String>> allRefs = null;
        for (String name : names) {
            if (Reference.isFullHexId(name) || Digest.isDigest(name)) {
                plan.add(images.resolve(name).id(), null);
                continue;
            }
            Reference ref = Reference.parse(name);
            if (ref.familiarName().equals(Digest.ALGORITHM)) {
                plan.add(images.resolve(name).id(), null);
                continue;
            }
            if (!ref.isTagged() && !ref.isDigested()) {
                if (allRefs == null) {
                    allRefs = images.allReferences();
                }
                boolean found = false;
                for (Map.Entry<Digest, List<String>> image : allRefs.entrySet()) {
                    for (String text : image.getValue()) {
                        Reference other = Reference.parse(text);
                        if (other.isTagged() && other.name().equals(ref.name())) {
                            plan.add(image.getKey(), other);
                            found = true;
                        }
                    }
                }
                if (!found) {
                    plan.add(images.resolve(name).id(), null);
                }
                continue;
            }
            ImageRecord image = images.resolve(name);
            plan.add(image.id(), ref.isTagged() ? ref : null);
        }
        return plan;
    }

    /** Writes the archive to out, and closes out when done. */
    public void write(Plan plan, OutputStream out) throws IOException {
        Map<String, Blob> blobs = new TreeMap<>();
        List<ArchiveManifestEntry> manifestJson = new ArrayList<>();
        List<Descriptor> descriptors = new ArrayList<>();
        Map<String, Map<String, String>> repositories = new TreeMap<>();
        for (Map.Entry<Digest, List<Reference>> entry : plan.images.entrySet()) {
            Digest id = entry.getKey();
            ImageConfig config = images.config(id);
            Instant created = config.created() != null ? config.created() : Instant.EPOCH;
            blobs.put(id.hex(), new Blob(id, content.size(id), created, null));
            List<Descriptor> layers = new ArrayList<>();
            List<String> layerPaths = new ArrayList<>();
            for (Digest diffId : config.diffIds()) {
                if (!content.exists(diffId)) {
                    throw EngineException.internal("layer " + diffId + " of image " + id + " is missing from the store", null);
                }
                long size = content.size(diffId);
                layers.add(Descriptor.of(MediaTypes.OCI_LAYER, diffId, size));
                blobs.put(diffId.hex(), new Blob(diffId, size, created, null));
                layerPaths.add("blobs/sha256/" + diffId.hex());
            }
            ImageManifest manifest = new ImageManifest(2, MediaTypes.OCI_MANIFEST,
                    Descriptor.of(MediaTypes.OCI_CONFIG, id, content.size(id)), layers, null);
            byte[] manifestBytes = Manifests.bytes(manifest);
            Digest manifestDigest = Digest.of(manifestBytes);
            blobs.put(manifestDigest.hex(), new Blob(manifestDigest, manifestBytes.length, Instant.EPOCH, manifestBytes));

            List<String> repoTags = new ArrayList<>();
            for (Reference ref : entry.getValue()) {
                repoTags.add(ref.familiarString());
                Map<String, String> annotations = new LinkedHashMap<>();
                annotations.put("io.containerd.image.name", ref.toString());
                annotations.put("org.opencontainers.image.ref.name", ref.tag());
                descriptors.add(new Descriptor(MediaTypes.OCI_MANIFEST, manifestDigest.toString(), manifestBytes.length, null,
                        annotations, null));
                if (!config.diffIds().isEmpty()) {
                    repositories.computeIfAbsent(ref.familiarName(), k -> new TreeMap<>())
                            .put(ref.tag(), config.diffIds().get(config.diffIds().size() - 1).hex());
                }
            }
            if (entry.getValue().isEmpty()) {
                descriptors.add(Descriptor.of(MediaTypes.OCI_MANIFEST, manifestDigest, manifestBytes.length));
            }
            manifestJson.add(new ArchiveManifestEntry("blobs/sha256/" + id.hex(), repoTags, layerPaths));
        }
        ImageIndex index = new ImageIndex(2, MediaTypes.OCI_INDEX, descriptors, null);

        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            directory(tar, "blobs/");
            directory(tar, "blobs/sha256/");
            for (Blob blob : blobs.values()) {
                writeBlob(tar, blob);
            }
            file(tar, "index.json", Manifests.bytes(index));
            file(tar, "manifest.json", (new String(Manifests.bytes(manifestJson), StandardCharsets.UTF_8) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            file(tar, "oci-layout", "{\"imageLayoutVersion\": \"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
            if (!repositories.isEmpty()) {
                file(tar, "repositories", (ImageConfig.JSON.writeValueAsString(repositories) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            tar.finish();
        }
        for (Digest id : plan.images.keySet()) {
            events.publish("save", id, id.toString());
        }
    }

    private record Blob(Digest digest, long size, Instant modified, byte[] inline) {
    }

    private static TarArchiveEntry entry(String name, byte type, long size, Instant modified) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        entry.setSize(size);
        entry.setMode(type == TarConstants.LF_DIR ? 0755 : 0644);
        entry.setModTime(modified.toEpochMilli());
        entry.setUserId(0);
        entry.setGroupId(0);
        return entry;
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        tar.putArchiveEntry(entry(name, TarConstants.LF_DIR, 0, Instant.EPOCH));
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        tar.putArchiveEntry(entry(name, TarConstants.LF_NORMAL, data.length, Instant.EPOCH));
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private void writeBlob(TarArchiveOutputStream tar, Blob blob) throws IOException {
        String name = "blobs/sha256/" + blob.digest().hex();
        if (blob.inline() != null) {
            tar.putArchiveEntry(entry(name, TarConstants.LF_NORMAL, blob.size(), blob.modified()));
            tar.write(blob.inline());
            tar.closeArchiveEntry();
            return;
        }
        tar.putArchiveEntry(entry(name, TarConstants.LF_NORMAL, blob.size(), blob.modified()));
        MessageDigest sha = Digest.newSha256();
        long copied = 0;
        try (InputStream in = content.open(blob.digest())) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while (copied < blob.size() && (n = in.read(buffer, 0, (int) Math.min(buffer.length, blob.size() - copied))) > 0) {
                tar.write(buffer, 0, n);
                sha.update(buffer, 0, n);
                copied += n;
            }
        }
        if (copied != blob.size() || !Digest.of(sha).equals(blob.digest())) {
            throw EngineException.internal("blob " + blob.digest() + " is corrupt: its content no longer matches its digest", null);
        }
        tar.closeArchiveEntry();
    }
}
