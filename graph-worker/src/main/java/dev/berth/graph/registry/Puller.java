package dev.berth.graph.registry;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.image.PullImage;
import dev.berth.bus.contract.image.RegistryAuth;
import dev.berth.bus.contract.image.TransferProgress;
import dev.berth.graph.content.ContentStore;
import dev.berth.graph.content.Digest;
import dev.berth.graph.gc.GarbageCollector;
import dev.berth.graph.image.ImageConfig;
import dev.berth.graph.image.ImageEvents;
import dev.berth.graph.image.ImageImporter;
import dev.berth.graph.image.ImageRecord;
import dev.berth.graph.image.ImageStore;
import dev.berth.graph.layer.ChainId;
import dev.berth.graph.layer.LayerStore;
import dev.berth.graph.manifest.Descriptor;
import dev.berth.graph.manifest.ImageIndex;
import dev.berth.graph.manifest.ImageManifest;
import dev.berth.graph.manifest.ManifestDocument;
import dev.berth.graph.manifest.Manifests;
import dev.berth.graph.manifest.MediaTypes;
import dev.berth.graph.manifest.Platform;
import dev.berth.graph.reference.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code docker pull}: resolves a tag or digest to one image manifest (choosing the platform's
 * entry of an index), downloads its config and layers, and stores the image. Layers download in
 * parallel on the shared download pool (max-concurrent-downloads), each streamed into the content
 * store's ingest area and verified against its digest. They are unpacked in order, each while it
 * downloads (read from the ingest file as it grows), and checked against its diff id; a layer is
 * recorded only once its blob verified too. A dropped connection resumes with Range. The image,
 * its tag and its digest reference are recorded only when everything verified; a failure
 * discards the downloads and lets the collector take the layers this pull unpacked.
 */
public final class Puller {
    private static final Logger LOG = LoggerFactory.getLogger(Puller.class);
    private static final int ATTEMPTS = 5;
    private static final long REPORT_STEP = 512 * 1024;
    /**
     * How much a download writes before the unpacking may read it: a flush and a wake-up per
     * network read (often 16 KiB) would cost more than the unpacking waits for.
     */
    private static final long PUBLISH_STEP = 256 * 1024;

    /** Receives the pull's progress; called from several threads, one message at a time. */
    @FunctionalInterface
    public interface Output {
        void send(TransferProgress message) throws IOException;
    }

    private final RegistryHosts hosts;
    private final TokenCache tokens;
    private final ContentStore content;
    private final LayerStore layers;
    private final ImageImporter importer;
    private final ImageStore images;
    private final BlobSources sources;
    private final GarbageCollector collector;
    private final ImageEvents events;
    private final Object mutations;
    private final ExecutorService downloads;
    /**
     * Layers handed to the download pool and not yet done, over all pulls: past
     * max-concurrent-downloads a new one queues, and says "Waiting" as dockerd's does.
     */
    private final AtomicInteger downloadsTaken = new AtomicInteger();

    public Puller(RegistryHosts hosts, TokenCache tokens, ContentStore content, LayerStore layers, ImageImporter importer,
            ImageStore images, BlobSources sources, GarbageCollector collector, ImageEvents events, Object mutations,
            ExecutorService downloads) {
        this.hosts = hosts;
        this.tokens = tokens;
        this.content = content;
        this.layers = layers;
        this.importer = importer;
        this.images = images;
        this.sources = sources;
        this.collector = collector;
        this.events = events;
        this.mutations = mutations;
        this.downloads = downloads;
    }

    /** Pulls a tag, a digest, or every tag of the repository when args.tag() is empty. */
    public void pull(PullImage args, Output output) throws IOException {
        Output serial = message -> {
            synchronized (output) {
                output.send(message);
            }
        };
        Reference named = Reference.parse(args.image());
        Reference repository = named.repository();
        Platform wanted = args.platform() == null || args.platform().isBlank() ? Platform.host() : Platform.parse(args.platform());
        boolean explicitPlatform = args.platform() != null && !args.platform().isBlank();
        List<RegistryHosts.Endpoint> endpoints = hosts.endpoints(repository.domain());
        for (int first = 0; ; ) {
            RegistryClient client = RegistryClient.connect(hosts, tokens, repository.domain(), args.auth(),
                    endpoints.subList(first, endpoints.size()));
            int used = indexOf(endpoints, client.base());
            try {
                pullFrom(client, args, named, repository, wanted, explicitPlatform, serial);
                return;
            } catch (EngineException e) {
                // dockerd's mirror fallback: a mirror that lacks the image is passed over for the next endpoint
                boolean mirror = hosts.isMirror(repository.domain(), client.base());
                if (!mirror || e.kind() != ErrorKind.NOT_FOUND || used + 1 >= endpoints.size()) {
                    throw e;
                }
                LOG.info("mirror {} has no {}; trying the next endpoint", client.base(), repository.familiarName());
                first = used + 1;
            }
        }
    }

    private static int indexOf(List<RegistryHosts.Endpoint> endpoints, java.net.URI base) {
        for (int i = 0; i < endpoints.size(); i++) {
            if (endpoints.get(i).base().equals(base)) {
                return i;
            }
        }
        throw new IllegalStateException("connected to " + base + ", which is none of the registry's endpoints");
    }

    private void pullFrom(RegistryClient client, PullImage args, Reference named, Reference repository, Platform wanted,
            boolean explicitPlatform, Output serial) throws IOException {
        String tag = args.tag() == null ? "" : args.tag();
        if (tag.isEmpty() && (named.isTagged() || named.isDigested())) {
            // fromImage=busybox:1 without tag, as docker-java sends it
            tag = named.isDigested() ? named.digest() : named.tag();
        }
        if (!tag.isEmpty()) {
            Reference ref = Digest.isDigest(tag) ? repository.withDigest(tag) : repository.withTag(tag);
            boolean newer = pullOne(client, ref, wanted, explicitPlatform, serial);
            serial.send(TransferProgress.status(null, "Status: " + (newer ? "Downloaded newer image for " : "Image is up to date for ")
                    + ref.familiarString()));
            return;
        }
        boolean newer = false;
        List<String> tags = new ArrayList<>(client.tags(repository.path()));
        tags.sort(null);
        for (String each : tags) {
            newer |= pullOne(client, repository.withTag(each), wanted, explicitPlatform, serial);
        }
        serial.send(TransferProgress.status(null, "Status: " + (newer ? "Downloaded newer image for " : "Image is up to date for ")
                + repository.familiarName()));
    }

    /** One image; true when the reference moved (a new image, or an image it did not name before). */
    private boolean pullOne(RegistryClient client, Reference ref, Platform wanted, boolean explicitPlatform, Output output)
            throws IOException {
        String path = ref.path();
        String reference = ref.isDigested() ? ref.digest() : ref.tag();
        RegistryClient.Fetched top;
        try {
            top = client.manifest(path, reference, MediaTypes.PULLABLE);
        } catch (EngineException e) {
            throw explain(e, ref);
        }
        ManifestDocument document = Manifests.parse(top.bytes(), top.contentType());
        ImageManifest manifest;
        boolean fromIndex = false;
        if (document instanceof ImageIndex index) {
            Descriptor entry = Manifests.select(index, wanted);
            RegistryClient.Fetched chosen = client.manifest(path, entry.digest(), MediaTypes.PULLABLE);
            manifest = Manifests.parseImage(chosen.bytes(), chosen.contentType());
            fromIndex = true;
        } else {
            manifest = (ImageManifest) document;
        }
        output.send(TransferProgress.status(reference, "Pulling from " + path));

        byte[] configBytes = fetchSmall(client, path, manifest.config(), ImageConfig.MAX_BYTES);
        ImageConfig config = ImageConfig.parse(configBytes);
        if (explicitPlatform && !fromIndex && !configMatches(config, wanted)) {
            throw EngineException.notFound("image with reference " + ref.familiarString()
                    + " was found but does not match the specified platform: wanted " + wanted + ", actual: "
                    + configPlatform(config));
        }
        if (config.diffIds().size() != manifest.layers().size()) {
            throw EngineException.invalid("invalid manifest: " + manifest.layers().size() + " layers for "
                    + config.diffIds().size() + " diff ids in the config");
        }
        for (Descriptor layer : manifest.layers()) {
            if (layer.mediaType() != null && !layer.mediaType().contains("tar")) {
                throw EngineException.invalid("unsupported layer media type \"" + layer.mediaType() + "\"");
            }
        }
        Digest id = config.id();
        ImageRecord image = images.get(id).isPresent() ? images.get(id).get() : download(client, path, manifest, configBytes,
                config, output);
        for (int i = 0; i < manifest.layers().size(); i++) {
            Descriptor layer = manifest.layers().get(i);
            sources.record(config.diffIds().get(i), new BlobSources.Source(layer.parsedDigest(), layer.size(),
                    client.domain(), path));
        }
        Reference digested = ref.repository().withDigest(top.digest().toString());
        boolean moved;
        synchronized (mutations) {
            moved = !ref.isDigested() && !idOf(ref).equals(Optional.of(id)) || idOf(digested).isEmpty();
            if (ref.isTagged()) {
                images.setReference(ref, image.id(), false);
            }
            images.setReference(digested, image.id(), false);
        }
        events.publish("pull", image.id(), ref.familiarString());
        output.send(TransferProgress.status(null, "Digest: " + top.digest()));
        return moved;
    }

    private Optional<Digest> idOf(Reference ref) {
        try {
            return Optional.of(images.resolve(ref.familiarString()).id());
        } catch (EngineException | IOException e) {
            return Optional.empty();
        }
    }

    /** dockerd's words for a repository or tag the registry does not have. */
    private static EngineException explain(EngineException failure, Reference ref) {
        if (failure.kind() == ErrorKind.NOT_FOUND && failure.getMessage().startsWith("manifest unknown")) {
            return EngineException.notFound("manifest for " + ref.familiarString() + " not found: " + failure.getMessage());
        }
        // Never a 401: the CLI answers a 401 to a pull by prompting for a login, and dockerd says 404 here.
        if (failure.kind() == ErrorKind.NOT_FOUND || failure.kind() == ErrorKind.UNAUTHENTICATED
                || failure.kind() == ErrorKind.FORBIDDEN) {
            return EngineException.notFound("pull access denied for " + ref.familiarName() + ", repository does not exist"
                    + " or may require 'docker login': " + failure.getMessage());
        }
        return failure;
    }

    private static boolean configMatches(ImageConfig config, Platform wanted) {
        Platform actual = configPlatform(config);
        return wanted.os().equals(actual.os()) && wanted.architecture().equals(actual.architecture())
                && (wanted.variant() == null || wanted.variant().equals(actual.variant()));
    }

    private static Platform configPlatform(ImageConfig config) {
        String variant = config.variant();
        return new Platform(config.architecture(), config.os().isEmpty() ? "linux" : config.os(), null,
                variant == null || variant.isEmpty() ? null : variant);
    }

    /** Reads a small blob (a config) whole and checks its digest and size. */
    private byte[] fetchSmall(RegistryClient client, String path, Descriptor descriptor, int max) throws IOException {
        if (descriptor.size() > max) {
            throw EngineException.invalid("the image config " + descriptor.digest() + " is larger than " + max + " bytes");
        }
        Digest expected = descriptor.parsedDigest();
        RegistryClient.Blob blob = client.openBlob(path, expected, 0);
        byte[] bytes;
        try (InputStream in = blob.body()) {
            bytes = in.readNBytes(max + 1);
        }
        if (bytes.length > max || !Digest.of(bytes).equals(expected)) {
            throw EngineException.invalid("filesystem layer verification failed for digest " + expected);
        }
        return bytes;
    }

    // ---- layers ----------------------------------------------------------------------------

    /** One layer's download: the blob as it arrives, and its writer once verified. */
    private final class Download {
        final Descriptor descriptor;
        final String id;
        final ArrivingBlob blob = new ArrivingBlob();
        CompletableFuture<ContentStore.Writer> staged;
        /** The last Extracting figure, and whether one was sent: only the importer's thread uses them. */
        long extracted = -1;
        boolean extractingShown;

        Download(Descriptor descriptor) {
            this.descriptor = descriptor;
            this.id = descriptor.parsedDigest().shortId();
        }
    }

    private ImageRecord download(RegistryClient client, String path, ImageManifest manifest, byte[] configBytes,
            ImageConfig config, Output output) throws IOException {
        List<Digest> chains = ChainId.of(config.diffIds());
        List<Download> all = new ArrayList<>();
        boolean[] aborted = {false};
        for (int i = 0; i < manifest.layers().size(); i++) {
            Download download = new Download(manifest.layers().get(i));
            all.add(download);
            if (layers.get(chains.get(i)).isPresent()) {
                output.send(TransferProgress.status(download.id, "Already exists"));
            } else {
                output.send(TransferProgress.status(download.id, "Pulling fs layer"));
            }
        }
        for (int i = 0; i < all.size(); i++) {
            Download download = all.get(i);
            if (layers.get(chains.get(i)).isEmpty()) {
                if (downloadsTaken.getAndIncrement() >= hosts.options().maxConcurrentDownloads()) {
                    try {
                        output.send(TransferProgress.status(download.id, "Waiting"));
                    } catch (IOException | RuntimeException e) {
                        // a client that left is noticed by a later message, where the pull discards its downloads
                    }
                }
                download.staged = CompletableFuture.supplyAsync(() -> {
                    try {
                        return fetchLayer(client, path, download, output, aborted);
                    } finally {
                        downloadsTaken.decrementAndGet();
                    }
                }, downloads);
            }
        }
        List<ImageImporter.LayerSource> sources = new ArrayList<>();
        for (Download download : all) {
            sources.add(new ImageImporter.LayerSource() {
                @Override
                public InputStream open() throws IOException {
                    if (download.staged == null) {
                        // it existed when the pull began, and was collected since: fetch it now
                        download.staged = CompletableFuture.completedFuture(fetchLayer(client, path, download, output, aborted));
                    }
                    // unpacked as it downloads: the reader fails with the download, and ends only once it verified
                    return download.blob.open();
                }

                @Override
                public void unpackFailed() throws IOException {
                    // Bytes that do not match their digest usually break the inflating or the diff id
                    // first: the download's own verdict names the cause, as when the blob came whole.
                    if (download.staged != null) {
                        download.blob.awaitEnd();
                    }
                }

                @Override
                public long size() {
                    return download.descriptor.size();
                }
            });
        }
        boolean done = false;
        try {
            ImageRecord image = importer.importImage(configBytes, sources, new ImageImporter.Progress() {
                @Override
                public void layer(Digest diffId, long current, long total) {
                    Download download = all.get(config.diffIds().indexOf(diffId));
                    download.extracted = current;
                    // while it downloads, a layer's line shows the download's bar, as with dockerd
                    if (download.blob.isVerified()) {
                        download.extractingShown = true;
                        send(output, TransferProgress.bar(download.id, "Extracting", current, total));
                    }
                }

                @Override
                public void unpacked(int index, Digest diffId) {
                    Download download = all.get(index);
                    if (!download.extractingShown && download.extracted >= 0) {
                        send(output, TransferProgress.bar(download.id, "Extracting", download.extracted,
                                download.descriptor.size()));
                    }
                    send(output, TransferProgress.status(download.id, "Pull complete"));
                }
            });
            done = true;
            return image;
        } finally {
            aborted[0] = !done;
            for (Download download : all) {
                discard(download);
            }
            if (!done) {
                try {
                    collector.collect();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("cleaning up after a failed pull: {}", e.toString());
                }
            }
        }
    }

    /** Waits for a download to stop, then removes its staged blob. */
    private static void discard(Download download) {
        if (download.staged == null) {
            return;
        }
        try {
            download.staged.handle((writer, failure) -> writer).join();
            ContentStore.Writer writer = download.staged.getNow(null);
            if (writer != null) {
                writer.close();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not discard a downloaded layer: {}", e.toString());
        }
    }

    /**
     * Streams one blob into an ingest file, resuming with Range when the connection drops, and
     * checks its size and digest, telling the download's {@link ArrivingBlob} how far it got and
     * how it ended. The writer is closed (the file removed) on any failure.
     */
    private ContentStore.Writer fetchLayer(RegistryClient client, String path, Download download, Output output,
            boolean[] aborted) {
        Digest expected = download.descriptor.parsedDigest();
        long total = download.descriptor.size();
        ContentStore.Writer writer = null;
        try {
            writer = content.writer();
            download.blob.started(writer);
            IOException lastFailure = null;
            byte[] buffer = new byte[1 << 16];
            long reported = 0;
            long published = 0;
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                if (aborted[0]) {
                    throw new IOException("pull abandoned");
                }
                long offset = writer.size();
                if (total > 0 && offset >= total) {
                    break;
                }
                RegistryClient.Blob blob = client.openBlob(path, expected, offset);
                if (offset > 0 && !blob.partial()) {
                    throw new EngineException(ErrorKind.UNAVAILABLE, "the registry cannot resume blob " + expected);
                }
                try (InputStream in = blob.body()) {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        if (aborted[0]) {
                            throw new IOException("pull abandoned");
                        }
                        writer.stream().write(buffer, 0, n);
                        if (total > 0 && writer.size() > total) {
                            throw EngineException.invalid("filesystem layer verification failed for digest " + expected
                                    + ": more bytes than its descriptor's size");
                        }
                        if (writer.size() - published >= PUBLISH_STEP) {
                            writer.stream().flush();
                            published = writer.size();
                            download.blob.grew(published);
                        }
                        if (writer.size() - reported >= REPORT_STEP) {
                            reported = writer.size();
                            output.send(TransferProgress.bar(download.id, "Downloading", reported, total));
                        }
                    }
                    lastFailure = null;
                    break;
                } catch (IOException e) {
                    if (aborted[0]) {
                        throw e;
                    }
                    lastFailure = e;
                    LOG.info("download of {} broke at {} bytes, resuming: {}", expected, writer.size(), e.toString());
                }
            }
            if (lastFailure != null) {
                throw new EngineException(ErrorKind.UNAVAILABLE, "downloading " + expected + ": " + lastFailure.getMessage());
            }
            writer.stream().flush();
            download.blob.grew(writer.size());
            output.send(TransferProgress.status(download.id, "Verifying Checksum"));
            if (total > 0 && writer.size() != total) {
                throw EngineException.invalid("filesystem layer verification failed for digest " + expected
                        + ": got " + writer.size() + " bytes, expected " + total);
            }
            Digest actual = writer.seal();
            if (!actual.equals(expected)) {
                throw EngineException.invalid("filesystem layer verification failed for digest " + expected);
            }
            output.send(TransferProgress.status(download.id, "Download complete"));
            download.blob.verified();
            return writer;
        } catch (IOException | RuntimeException e) {
            download.blob.failed(e);
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    private static void send(Output output, TransferProgress message) {
        try {
            output.send(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
