package dev.berth.graph.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.graph.content.Digest;
import dev.berth.graph.layer.LayerStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The image view: what {@code image.inspect} and {@code image.list} answer. Field names are the
 * contract with the gateway and the exec worker (see JobTypes):
 * id, parent, repoTags, repoDigests, created (config text, RFC 3339), createdUnix, architecture,
 * variant, os, osVersion, author, comment, dockerVersion, size, config (verbatim), containerConfig,
 * container, rootfs{type, layers}, history, labels, lastTagTime, containers, chainId,
 * graphDriver{name, data{LowerDir, UpperDir, WorkDir, MergedDir}}, layerSizes (inspect only: bytes per
 * layer, bottom first).
 */
final class ImageViews {
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ImageViews() {
    }

    static ObjectNode view(ImageRecord record, ImageConfig config, List<String> references, List<LayerStore.Layer> stack,
            LayerStore layers, int containers) {
        ObjectNode view = NODES.objectNode();
        view.put("id", record.id().toString());
        view.put("parent", "");
        ArrayNode tags = view.putArray("repoTags");
        ArrayNode digests = view.putArray("repoDigests");
        for (String reference : references) {
            (ImageStore.isDigestReference(reference) ? digests : tags).add(reference);
        }
        view.put("created", config.createdText());
        Instant created = config.created();
        view.put("createdUnix", created == null ? 0 : created.getEpochSecond());
        view.put("architecture", config.architecture());
        view.put("variant", config.variant());
        view.put("os", config.os());
        view.put("osVersion", config.osVersion());
        view.put("author", config.author());
        view.put("comment", config.comment());
        view.put("dockerVersion", config.dockerVersion());
        view.put("size", record.size());
        view.set("config", config.config().deepCopy());
        view.put("hasConfig", config.hasConfig());
        if (config.containerConfig().isObject()) {
            view.set("containerConfig", config.containerConfig().deepCopy());
        }
        view.put("container", config.container());
        ObjectNode rootfs = view.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("layers");
        for (Digest diffId : config.diffIds()) {
            diffIds.add(diffId.toString());
        }
        view.set("history", config.history().deepCopy());
        ObjectNode labels = view.putObject("labels");
        config.labels().forEach(labels::put);
        view.put("lastTagTime", record.lastTagTimeMillis() == 0 ? ZERO_TIME
                : Instant.ofEpochMilli(record.lastTagTimeMillis()).toString());
        view.put("containers", containers);
        view.put("chainId", record.topChain() == null ? null : record.topChain().toString());
        if (!stack.isEmpty()) {
            ArrayNode sizes = view.putArray("layerSizes");
            for (int i = stack.size() - 1; i >= 0; i--) {
                sizes.add(stack.get(i).size());
            }
        }
        ObjectNode driver = view.putObject("graphDriver");
        driver.put("name", "overlay2");
        ObjectNode data = driver.putObject("data");
        if (!stack.isEmpty()) {
            Path top = layers.directory(stack.get(0).chainId());
            if (stack.size() > 1) {
                data.put("LowerDir", stack.subList(1, stack.size()).stream()
                        .map(l -> layers.diffDirectory(l.chainId()).toString()).collect(Collectors.joining(":")));
            }
            data.put("MergedDir", top.resolve("merged").toString());
            data.put("UpperDir", top.resolve("diff").toString());
            data.put("WorkDir", top.resolve("work").toString());
        }
        return view;
    }
}
