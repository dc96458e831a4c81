package dev.berth.graph.image;

import dev.berth.graph.io.ObservedInputStream;
import dev.berth.graph.io.ReadAheadInput;
import dev.berth.bus.EngineException;
import dev.berth.graph.content.ContentStore;
import dev.berth.graph.content.Digest;
import dev.berth.graph.gc.Pins;
import dev.berth.graph.layer.ChainId;
import dev.berth.graph.layer.LayerStore;
import dev.berth.graph.unpack.Decompression;
import dev.berth.graph.unpack.LayerUnpacker;
import dev.berth.graph.unpack.UnpackLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a config and its layers into a stored image: each layer not stored yet is decompressed,
 * unpacked and checked against its diff id in one pass, and its uncompressed tar kept in the
 * content store; then the config is stored and the image recorded. Layers already stored under
 * their chain id are reused without reading their source. Used by load and pull.
 */
public final class ImageImporter {
    /** Where one layer's bytes come from (compressed or not). */
    public interface LayerSource {
        InputStream open() throws IOException;

        /** Bytes of the source, for progress; -1 when unknown. */
        long size();

        /** The digest of the source when it is known to be stored already (an uncompressed blob). */
        default Digest storedAs() {
            return null;
        }

        /**
         * Told that unpacking what {@link #open} gave failed, before that failure is passed on:
         * a source may throw its own, truer one instead (a download whose blob did not verify).
         */
        default void unpackFailed() throws IOException {
        }
    }

    /** Told how far each layer got. */
    public interface Progress {
        void layer(Digest diffId, long current, long total);

        /** The layer at index is unpacked, verified and stored. */
        default void unpacked(int index, Digest diffId) {
        }

        Progress NONE = (diffId, current, total) -> {
        };
    }

    private final ContentStore content;
    private final LayerStore layers;
    private final ImageStore images;
    private final Pins pins;
    private final LayerUnpacker unpacker;
    private final UnpackLimits limits;

    public ImageImporter(ContentStore content, LayerStore layers, ImageStore images, Pins pins, LayerUnpacker unpacker,
            UnpackLimits limits) {
        this.content = content;
        this.layers = layers;
        this.images = images;
        this.pins = pins;
        this.unpacker = unpacker;
        this.limits = limits;
    }

    /**
     * Imports one image. The caller holds pins on nothing; this method pins what it creates until
     * the image row refers to it. Returns the image's record.
     */
    public ImageRecord importImage(byte[] configBytes, List<LayerSource> sources, Progress progress) throws IOException {
        ImageConfig config = ImageConfig.parse(configBytes);
        if (!config.os().isEmpty() && !config.os().equals("linux")) {
            throw EngineException.invalid("cannot load " + config.os() + " image on linux");
        }
        List<Digest> diffIds = config.diffIds();
        if (sources.size() != diffIds.size()) {
            throw EngineException.invalid("invalid manifest, layers length mismatch: expected " + sources.size() + ", got "
                    + diffIds.size());
        }
        List<Digest> pinnedLayers = new ArrayList<>();
        Digest id = config.id();
        pins.pinBlob(id);
        try {
            Digest parent = null;
            long size = 0;
            for (int i = 0; i < diffIds.size(); i++) {
                Digest diffId = diffIds.get(i);
                Digest chain = ChainId.next(parent, diffId);
                pins.pinLayer(chain);
                pinnedLayers.add(chain);
                LayerSource source = sources.get(i);
                int index = i;
                LayerStore.Layer layer = layers.obtain(chain, parent, diffId,
                        dir -> unpack(source, diffId, index, dir, progress));
                size += layer.size();
                parent = chain;
            }
            try (ContentStore.Writer writer = content.writer()) {
                writer.stream().write(configBytes);
                writer.commit(id);
            }
            ImageRecord record = new ImageRecord(id, parent, size, System.currentTimeMillis(), 0);
            images.create(record);
            return images.get(id).orElse(record);
        } finally {
            pins.unpinBlob(id);
            pinnedLayers.forEach(pins::unpinLayer);
        }
    }

    private long unpack(LayerSource source, Digest diffId, int index, java.nio.file.Path dir, Progress progress)
            throws IOException {
        pins.pinBlob(diffId); // before looking, so a collection cannot take it in between
        // The store hashed a blob as it took it and refused it unless it matched its name: the
        // stored tar of this diff id needs no second hash (a whole pass over the layer).
        boolean verified = diffId.equals(source.storedAs());
        boolean keepTar = !verified && !content.exists(diffId);
        try (InputStream raw = new ProgressInput(source.open(), diffId, source.size(), progress);
                ContentStore.Writer writer = keepTar ? content.writer() : null) {
            InputStream inflated = Decompression.inflate(raw, limits);
            HashingTee tee = new HashingTee(inflated, writer == null ? null : writer.stream(), !verified);
            LayerUnpacker.Result result;
            // inflating, hashing and keeping the tar on one thread, writing the files on this one
            try (ReadAheadInput tar = new ReadAheadInput(tee, "berth-inflate-" + diffId.shortId())) {
                result = unpacker.unpack(tar, dir);
                tar.transferTo(OutputStream.nullOutputStream());
            }
            // to the source's own end, past what the decompressor needed: a source that is still
            // arriving (a pull) ends only once its blob matched its digest
            raw.transferTo(OutputStream.nullOutputStream());
            if (!verified) {
                Digest actual = Digest.of(tee.sha);
                if (!actual.equals(diffId)) {
                    throw EngineException.invalid("invalid diffID for layer " + index + ": expected \"" + diffId + "\", got \""
                            + actual + "\"");
                }
            }
            if (writer != null) {
                writer.commit(diffId);
            }
            progress.unpacked(index, diffId);
            return result.contentBytes();
        } catch (IOException | RuntimeException e) {
            source.unpackFailed();
            throw e;
        } finally {
            pins.unpinBlob(diffId);
        }
    }

    /** Hashes what is read through it (when asked to), and copies it to out when there is one. */
    private static final class HashingTee extends ObservedInputStream {
        private final MessageDigest sha;
        private final OutputStream out;

        HashingTee(InputStream in, OutputStream out, boolean hash) {
            super(in);
            this.out = out;
            this.sha = hash ? Digest.newSha256() : null;
        }

        @Override
        protected void observe(byte[] bytes, int offset, int n) throws IOException {
            if (sha != null) {
                sha.update(bytes, offset, n);
            }
            if (out != null) {
                out.write(bytes, offset, n);
            }
        }

        @Override
        public void close() {
            // the caller closes the source
        }
    }

    /** Reports the raw bytes read, at most every 512 KiB, and once at the end. */
    private static final class ProgressInput extends ObservedInputStream {
        private static final long STEP = 512 * 1024;
        private final Digest diffId;
        private final long total;
        private final Progress progress;
        private long read;
        private long reported = -1;

        ProgressInput(InputStream in, Digest diffId, long total, Progress progress) {
            super(in);
            this.diffId = diffId;
            this.total = total;
            this.progress = progress;
        }

        @Override
        protected void observe(byte[] bytes, int offset, int n) {
            read += n;
            if (reported < 0 || read - reported >= STEP || read == total) {
                report();
            }
        }

        @Override
        protected void atEnd() {
            if (reported != read) {
                report();
            }
        }

        private void report() {
            reported = read;
            progress.layer(diffId, read, total);
        }
    }
}
