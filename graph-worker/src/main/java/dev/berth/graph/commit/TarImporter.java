package dev.berth.graph.commit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.contract.image.CommittedImage;
import dev.berth.bus.contract.image.ImportImage;
import dev.berth.graph.content.ContentStore;
import dev.berth.graph.content.Digest;
import dev.berth.graph.gc.Pins;
import dev.berth.graph.image.ImageConfig;
import dev.berth.graph.image.ImageImporter;
import dev.berth.graph.image.ImageRecord;
import dev.berth.graph.image.ImageService;
import dev.berth.graph.unpack.Decompression;
import dev.berth.graph.unpack.UnpackLimits;
import dev.berth.bus.EngineException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * {@code docker import}: a tar (plain, gzip, bzip2, xz or zstd) becomes the one layer of a new
 * image, with a config made of the changes alone. The decompressed tar is kept in the content
 * store under its diff id, then imported like a loaded image, through the hardened extraction.
 */
public final class TarImporter {
    private final ContentStore content;
    private final ImageImporter importer;
    private final ImageService images;
    private final Pins pins;
    private final UnpackLimits limits;

    public TarImporter(ContentStore content, ImageImporter importer, ImageService images, Pins pins, UnpackLimits limits) {
        this.content = content;
        this.importer = importer;
        this.images = images;
        this.pins = pins;
        this.limits = limits;
    }

    public CommittedImage importTar(InputStream raw, ImportImage request) throws IOException {
        ObjectNode runtime = ImageConfig.JSON.createObjectNode();
        ConfigChanges.apply(runtime, request.changes()); // refuse bad changes before reading the tar
        Digest diffId;
        try (ContentStore.Writer writer = content.writer()) {
            try (InputStream tar = new BufferedInputStream(Decompression.inflate(raw, limits), 1 << 16)) {
                checkIsTar(tar);
                tar.transferTo(writer.stream());
            }
            diffId = writer.finish();
            pins.pinBlob(diffId);
            try {
                writer.commit(diffId);
            } catch (IOException | RuntimeException e) {
                pins.unpinBlob(diffId);
                throw e;
            }
        }
        try {
            byte[] config = config(runtime, request, diffId);
            ImageRecord image = importer.importImage(config, List.of(new ImageImporter.LayerSource() {
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
            }), ImageImporter.Progress.NONE);
            String reference = "";
            if (request.repo() != null && !request.repo().isEmpty()) {
                reference = images.tag(image.id().toString(), request.repo(), request.tag());
            }
            images.events().publish("import", image.id(), image.id().toString());
            return new CommittedImage(image.id().toString(), reference);
        } finally {
            pins.unpinBlob(diffId);
        }
    }

    /**
     * Refuses what does not start with a tar header (or a tar's all-zero end block): such a body
     * would otherwise become a layer whose unpacking finds no entries.
     */
    static void checkIsTar(InputStream tar) throws IOException {
        byte[] header = new byte[512];
        tar.mark(header.length);
        int length = tar.readNBytes(header, 0, header.length);
        tar.reset();
        if (length == 0) {
            throw EngineException.invalid("the archive to import is empty");
        }
        boolean endBlock = length == header.length;
        for (int i = 0; endBlock && i < length; i++) {
            endBlock = header[i] == 0;
        }
        if (length < header.length || !(endBlock || TarArchiveInputStream.matches(header, length))) {
            throw EngineException.invalid("the archive to import is not a tar archive");
        }
    }

    private static byte[] config(ObjectNode runtime, ImportImage request, Digest diffId) throws IOException {
        String now = Instant.now().toString();
        String message = request.message() == null || request.message().isEmpty()
                ? "Imported from " + (request.source() == null ? "-" : request.source()) : request.message();
        ObjectNode config = ImageConfig.JSON.createObjectNode();
        config.put("architecture", hostArchitecture());
        config.put("os", "linux");
        config.put("created", now);
        config.put("comment", message);
        config.set("config", runtime);
        ArrayNode history = config.putArray("history");
        history.addObject().put("created", now).put("comment", message);
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(diffId.toString());
        return ImageConfig.JSON.writeValueAsBytes(config);
    }

    /** GOARCH names, as image configs use them. */
    static String hostArchitecture() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> arch;
        };
    }
}
