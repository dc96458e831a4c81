package dev.berth.graph.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.contract.image.ImageView;
import dev.berth.graph.content.Digest;
import dev.berth.graph.layer.LayerStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The {@link ImageView} of an image: its record, config, references, layers and leases together. */
final class ImageViews {
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private ImageViews() {
    }

    /**
     * stack: the image's layers, top first, for inspect's layer sizes and driver data; empty for
     * list items. overlay2 shows its directories as dockerd does; dockerd's vfs shows no data.
     */
    static ImageView view(ImageRecord record, ImageConfig config, List<String> references, List<LayerStore.Layer> stack,
            LayerStore layers, String storageDriver, int containers, String parent) {
        List<String> tags = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        for (String reference : references) {
            (ImageStore.isDigestReference(reference) ? digests : tags).add(reference);
        }
        Instant created = config.created();
        List<String> diffIds = config.diffIds().stream().map(Digest::toString).toList();
        JsonNode containerConfig = config.containerConfig().isObject() ? config.containerConfig().deepCopy() : null;
        List<Long> layerSizes = new ArrayList<>();
        for (int i = stack.size() - 1; i >= 0; i--) {
            layerSizes.add(stack.get(i).size());
        }
        return new ImageView(record.id().toString(), parent, tags, digests, config.createdText(),
                created == null ? 0 : created.getEpochSecond(), config.architecture(), config.variant(), config.os(),
                config.osVersion(), config.author(), config.comment(), config.dockerVersion(), record.size(),
                config.hasConfig() ? config.config().deepCopy() : null, containerConfig, config.container(),
                new ImageView.RootFs("layers", diffIds), history(config), config.labels(),
                record.lastTagTimeMillis() == 0 ? ZERO_TIME : Instant.ofEpochMilli(record.lastTagTimeMillis()).toString(),
                containers, record.topChain() == null ? null : record.topChain().toString(),
                new ImageView.GraphDriver(storageDriver,
                        storageDriver.equals("overlay2") ? driverData(stack, layers) : null), layerSizes);
    }

    /** Read field by field: a config from an archive is untrusted, and may hold anything there. */
    private static List<ImageView.HistoryEntry> history(ImageConfig config) {
        List<ImageView.HistoryEntry> history = new ArrayList<>();
        for (JsonNode entry : config.history()) {
            history.add(new ImageView.HistoryEntry(entry.path("created").asText(""), entry.path("created_by").asText(""),
                    entry.path("author").asText(""), entry.path("comment").asText(""), entry.path("empty_layer").asBoolean(false)));
        }
        return history;
    }

    private static Map<String, String> driverData(List<LayerStore.Layer> stack, LayerStore layers) {
        Map<String, String> data = new LinkedHashMap<>();
        if (stack.isEmpty()) {
            return data;
        }
        Path top = layers.directory(stack.get(0).chainId());
        if (stack.size() > 1) {
            data.put("LowerDir", stack.subList(1, stack.size()).stream()
                    .map(l -> layers.diffDirectory(l.chainId()).toString()).collect(Collectors.joining(":")));
        }
        data.put("MergedDir", top.resolve("merged").toString());
        data.put("UpperDir", top.resolve("diff").toString());
        data.put("WorkDir", top.resolve("work").toString());
        return data;
    }
}
