package dev.berth.bus.contract.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * What the graph worker knows of one image: the reply of {@code image.inspect}, and an item of
 * {@code image.list}. Berth's own shape; the gateway renders Docker's from it.
 *
 * @param id sha256:hex of the config
 * @param repoTags familiar tags (busybox:latest)
 * @param repoDigests familiar digest references (busybox@sha256:…)
 * @param created the config's creation time as written there (RFC 3339), "" when absent
 * @param createdUnix the same in unix seconds, 0 when absent or unreadable
 * @param size bytes of the layers' files
 * @param config the runtime config (Docker's Config: Env, Cmd, Entrypoint, …) verbatim, so that
 *     fields Berth does not know survive; null when the image has none
 * @param containerConfig the legacy container_config, verbatim; null when absent
 * @param rootfs the layers by diff id, bottom first
 * @param history the config's history, oldest first
 * @param lastTagTime when last tagged by hand (RFC 3339), Go's zero time if never
 * @param containers how many containers hold the image (their snapshots)
 * @param chainId the chain id of the top layer, null for an image without layers
 * @param graphDriver where the top layer lives (inspect only)
 * @param layerSizes bytes of each layer, bottom first (inspect only)
 */
public record ImageView(String id, String parent, List<String> repoTags, List<String> repoDigests, String created,
        long createdUnix, String architecture, String variant, String os, String osVersion, String author, String comment,
        String dockerVersion, long size, JsonNode config, JsonNode containerConfig, String container, RootFs rootfs,
        List<HistoryEntry> history, Map<String, String> labels, String lastTagTime, int containers, String chainId,
        GraphDriver graphDriver, List<Long> layerSizes) {
    public ImageView {
        repoTags = repoTags == null ? List.of() : List.copyOf(repoTags);
        repoDigests = repoDigests == null ? List.of() : List.copyOf(repoDigests);
        history = history == null ? List.of() : List.copyOf(history);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        layerSizes = layerSizes == null ? List.of() : List.copyOf(layerSizes);
    }

    /** The image's layers as diff ids, bottom first; type is always "layers". */
    public record RootFs(String type, List<String> layers) {
        public RootFs {
            layers = layers == null ? List.of() : List.copyOf(layers);
        }
    }

    /** One step of the image's history, with the OCI config's field names. */
    public record HistoryEntry(String created, @JsonProperty("created_by") String createdBy, String author, String comment,
            @JsonProperty("empty_layer") boolean emptyLayer) {
    }

    /** The storage driver's name and its directories (LowerDir, UpperDir, WorkDir, MergedDir). */
    public record GraphDriver(String name, Map<String, String> data) {
        public GraphDriver {
            data = data == null ? Map.of() : Map.copyOf(data);
        }
    }
}
