package dev.berth.graph.registry;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.image.PushImage;
import dev.berth.bus.contract.image.TransferProgress;
import dev.berth.graph.content.ContentStore;
import dev.berth.graph.content.Digest;
import dev.berth.graph.image.ImageConfig;
import dev.berth.graph.image.ImageEvents;
import dev.berth.graph.image.ImageRecord;
import dev.berth.graph.image.ImageStore;
import dev.berth.graph.io.GzipCompressingInput;
import dev.berth.graph.io.ObservedInputStream;
import dev.berth.graph.manifest.Descriptor;
import dev.berth.graph.manifest.ImageManifest;
import dev.berth.graph.manifest.Manifests;
import dev.berth.graph.manifest.MediaTypes;
import dev.berth.graph.reference.Reference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.Deflater;

/**
 * {@code docker push}: sends an image's layers (in parallel on the max-concurrent-uploads pool),
 * its config, then a Docker v2 schema 2 manifest under the tag. A layer the registry already has
 * (known from {@link BlobSources}, checked with HEAD) is skipped; one that another repository of
 * the same registry has is mounted from there; any other is gzip-compressed as it uploads. The
 * pushed manifest's digest becomes one of the image's RepoDigests, as with dockerd.
 */
public final class Pusher {
    private static final long REPORT_STEP = 512 * 1024;

    /** Receives the push's progress; called from several threads, one message at a time. */
    @FunctionalInterface
    public interface Output {
        void send(TransferProgress message) throws IOException;
    }

    private final RegistryHosts hosts;
    private final TokenCache tokens;
    private final ContentStore content;
    private final ImageStore images;
    private final BlobSources sources;
    private final ImageEvents events;
    private final Object mutations;
    private final ExecutorService uploads;
    private final ExecutorService compressors;
    private final int compressorThreads;

    /**
     * @param uploads runs the layers, max-concurrent-uploads at a time
     * @param compressors deflates blocks of the layers being uploaded (one thread per core)
     */
    public Pusher(RegistryHosts hosts, TokenCache tokens, ContentStore content, ImageStore images, BlobSources sources,
            ImageEvents events, Object mutations, ExecutorService uploads, ExecutorService compressors, int compressorThreads) {
        this.hosts = hosts;
        this.tokens = tokens;
        this.content = content;
        this.images = images;
        this.sources = sources;
        this.events = events;
        this.mutations = mutations;
        this.uploads = uploads;
        this.compressors = compressors;
        this.compressorThreads = compressorThreads;
    }

    /** The tags a push names: one, or every tag of the repository when none is given. */
    public List<Reference> plan(PushImage args) throws IOException {
        Reference named = Reference.parse(args.image());
        Reference repository = named.repository();
        String tag = args.tag() == null || args.tag().isEmpty() ? (named.isTagged() ? named.tag() : "") : args.tag();
        List<Reference> tags = new ArrayList<>();
        if (!tag.isEmpty()) {
            Reference ref = repository.withTag(tag);
            try {
                images.resolve(ref.familiarString());
            } catch (EngineException e) {
                if (e.kind() == ErrorKind.NOT_FOUND) {
                    throw EngineException.notFound("tag does not exist: " + ref.familiarString());
                }
                throw e;
            }
            tags.add(ref);
        } else {
            String prefix = repository.familiarName() + ":";
            for (List<String> names : images.allReferences().values()) {
                for (String name : names) {
                    if (name.startsWith(prefix) && !ImageStore.isDigestReference(name)) {
                        tags.add(Reference.parse(name));
                    }
                }
            }
            tags.sort((a, b) -> a.tag().compareTo(b.tag()));
        }
        if (tags.isEmpty()) {
            throw EngineException.notFound("An image does not exist locally with the tag: " + repository.familiarName());
        }
        return tags;
    }

    public void push(PushImage args, List<Reference> tags, Output output) throws IOException {
        Output serial = message -> {
            synchronized (output) {
                output.send(message);
            }
        };
        Reference repository = tags.get(0).repository();
        serial.send(TransferProgress.status(null, "The push refers to repository [" + repository.familiarName() + "]"));
        RegistryClient client = RegistryClient.connect(hosts, tokens, repository.domain(), args.auth());
        for (Reference tag : tags) {
            pushOne(client, tag, serial);
        }
    }

    private void pushOne(RegistryClient client, Reference ref, Output output) throws IOException {
        ImageRecord image = images.resolve(ref.familiarString());
        byte[] configBytes = content.readVerified(image.id(), ImageConfig.MAX_BYTES);
        ImageConfig config = ImageConfig.parse(configBytes);
        String path = ref.path();
        List<Digest> diffIds = config.diffIds();
        for (Digest diffId : diffIds) {
            output.send(TransferProgress.status(diffId.shortId(), "Preparing"));
        }
        List<CompletableFuture<Descriptor>> layers = new ArrayList<>();
        for (Digest diffId : diffIds) {
            layers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return pushLayer(client, path, diffId, output);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, uploads));
        }
        List<Descriptor> descriptors = new ArrayList<>();
        try {
            for (CompletableFuture<Descriptor> layer : layers) {
                descriptors.add(layer.join());
            }
        } catch (CompletionException e) {
            layers.forEach(layer -> layer.handle((d, f) -> d).join());
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        if (!client.hasBlob(path, image.id())) {
            client.uploadBlob(path, image.id(), configBytes.length, () -> new ByteArrayInputStream(configBytes));
        }
        ImageManifest manifest = ImageManifest.docker(Descriptor.of(MediaTypes.DOCKER_CONFIG, image.id(), configBytes.length),
                descriptors);
        byte[] manifestBytes = Manifests.bytes(manifest);
        client.putManifest(path, ref.tag(), manifestBytes, MediaTypes.DOCKER_MANIFEST);
        Digest digest = Digest.of(manifestBytes);
        synchronized (mutations) {
            images.setReference(ref.repository().withDigest(digest.toString()), image.id(), false);
        }
        events.publish("push", image.id(), ref.familiarString());
        output.send(TransferProgress.status(null, ref.tag() + ": digest: " + digest + " size: " + manifestBytes.length));
        output.send(new TransferProgress(null, null, 0, 0,
                new TransferProgress.PushedManifest(ref.tag(), digest.toString(), manifestBytes.length)));
    }

    /** One layer: skipped, mounted, or compressed and uploaded; its descriptor in the manifest. */
    private Descriptor pushLayer(RegistryClient client, String path, Digest diffId, Output output) throws IOException {
        String id = diffId.shortId();
        List<BlobSources.Source> known = sources.of(diffId, client.domain());
        for (BlobSources.Source source : known) {
            if (client.hasBlob(path, source.digest())) {
                output.send(TransferProgress.status(id, "Layer already exists"));
                remember(diffId, source, client, path);
                return Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, source.digest(), source.size());
            }
        }
        for (BlobSources.Source source : known) {
            if (!source.repository().equals(path) && client.mountBlob(path, source.digest(), source.repository())) {
                output.send(TransferProgress.status(id, "Mounted from " + source.repository()));
                remember(diffId, source, client, path);
                return Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, source.digest(), source.size());
            }
        }
        long total = content.size(diffId);
        AtomicReference<CompressedRead> current = new AtomicReference<>();
        client.uploadStreamed(path, total + total / 100 + 1024, () -> {
            try {
                // one block more than the threads, so that the next is ready when the upload takes it
                GzipCompressingInput gzip = new GzipCompressingInput(content.open(diffId), Deflater.BEST_SPEED, compressors,
                        compressorThreads + 1);
                CompressedRead read = new CompressedRead(gzip, id, total, output);
                current.set(read);
                return read;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, () -> current.get().digest());
        CompressedRead done = current.get();
        Digest digest = done.digest();
        output.send(TransferProgress.status(id, "Pushed"));
        BlobSources.Source pushed = new BlobSources.Source(digest, done.size, client.domain(), path);
        sources.record(diffId, pushed);
        return Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, digest, done.size);
    }

    private void remember(Digest diffId, BlobSources.Source source, RegistryClient client, String path) throws IOException {
        sources.record(diffId, new BlobSources.Source(source.digest(), source.size(), client.domain(), path));
    }

    /**
     * A layer's tar compressed as it is read, hashed and counted on the compressed side, with
     * "Pushing" progress counted on the uncompressed side (dockerd shows the layer's size too).
     */
    private static final class CompressedRead extends ObservedInputStream {
        private final MessageDigest sha = Digest.newSha256();
        private Digest digest;
        long size;
        private final GzipCompressingInput gzip;
        private final String id;
        private final long total;
        private final Output output;
        private long reported;

        CompressedRead(GzipCompressingInput gzip, String id, long total, Output output) {
            super(gzip);
            this.gzip = gzip;
            this.id = id;
            this.total = total;
            this.output = output;
        }

        /** The compressed bytes' digest, once they were all read. */
        synchronized Digest digest() {
            if (digest == null) {
                digest = Digest.of(sha);
            }
            return digest;
        }

        @Override
        protected void observe(byte[] bytes, int offset, int n) throws IOException {
            sha.update(bytes, offset, n);
            size += n;
            long read = gzip.uncompressedBytes();
            if (read - reported >= REPORT_STEP) {
                reported = read;
                output.send(TransferProgress.bar(id, "Pushing", read, total));
            }
        }
    }
}
