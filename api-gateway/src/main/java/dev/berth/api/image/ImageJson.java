package dev.berth.api.image;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.berth.api.model.ImageDeleteItem;
import dev.berth.api.model.ImageHistoryItem;
import dev.berth.api.model.ImageInspect;
import dev.berth.api.model.ImageSummary;
import dev.berth.api.router.ApiVersion;
import dev.berth.bus.contract.image.ImageView;
import dev.berth.bus.contract.image.RemovedImages;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Docker's JSON shapes for images (dev.berth.api.model), made from the graph worker's {@link ImageView}. */
final class ImageJson {
    private ImageJson() {
    }

    /** One item of GET /images/json. */
    static ImageSummary summary(ImageView view, ApiVersion version) {
        List<String> tags = view.repoTags();
        if (tags.isEmpty() && version.below(1, 25)) {
            tags = List.of("<none>:<none>");
        }
        return new ImageSummary(view.containers(), view.createdUnix(), view.id(), view.labels(), nonNull(view.parent()),
                view.repoDigests(), tags, -1, view.size(), version.below(1, 44) ? view.size() : null);
    }

    /** GET /images/{name}/json. */
    static ImageInspect inspect(ImageView view, ApiVersion version) {
        boolean legacy = version.below(1, 45);
        ImageView.GraphDriver driver = view.graphDriver() != null ? view.graphDriver()
                : new ImageView.GraphDriver("overlay2", null);
        ImageView.RootFs rootfs = view.rootfs() != null ? view.rootfs() : new ImageView.RootFs("layers", null);
        return new ImageInspect(view.id(), view.repoTags(), view.repoDigests(), nonNull(view.parent()), nonNull(view.comment()),
                nonNull(view.created()), nonNull(view.dockerVersion()), nonNull(view.author()), view.config(),
                nonNull(view.architecture()), emptyAsNull(view.variant()), nonNull(view.os()), emptyAsNull(view.osVersion()),
                view.size(), version.below(1, 44) ? view.size() : null,
                legacy ? nonNull(view.container()) : null,
                legacy ? (view.containerConfig() != null ? view.containerConfig() : JsonNodeFactory.instance.objectNode()) : null,
                new ImageInspect.GraphDriver(driver.data() == null || driver.data().isEmpty() ? null : driver.data(), driver.name()),
                new ImageInspect.RootFs(rootfs.type(), rootfs.layers()),
                new ImageInspect.Metadata(view.lastTagTime() != null ? view.lastTagTime() : "0001-01-01T00:00:00Z"));
    }

    /** GET /images/{name}/history: newest first; only the top entry carries the id and tags. */
    static List<ImageHistoryItem> history(ImageView view) {
        List<Long> sizes = view.layerSizes();
        List<ImageHistoryItem> items = new ArrayList<>();
        int layer = 0;
        for (ImageView.HistoryEntry entry : view.history()) {
            long size = !entry.emptyLayer() && layer < sizes.size() ? sizes.get(layer) : 0;
            if (!entry.emptyLayer()) {
                layer++;
            }
            items.add(new ImageHistoryItem(nonNull(entry.comment()), unixSeconds(entry.created()), nonNull(entry.createdBy()),
                    "<missing>", size, null));
        }
        Collections.reverse(items);
        if (!items.isEmpty()) {
            ImageHistoryItem newest = items.get(0);
            items.set(0, new ImageHistoryItem(newest.comment(), newest.created(), newest.createdBy(), view.id(), newest.size(),
                    view.repoTags()));
        }
        return items;
    }

    /** DELETE /images/{name}. */
    static List<ImageDeleteItem> removed(RemovedImages removed) {
        return removed.items().stream().map(item -> new ImageDeleteItem(item.untagged(), item.deleted())).toList();
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    private static String emptyAsNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static long unixSeconds(String rfc3339) {
        if (rfc3339 == null) {
            return 0;
        }
        try {
            return java.time.OffsetDateTime.parse(rfc3339).toEpochSecond();
        } catch (java.time.format.DateTimeParseException e) {
            return 0;
        }
    }
}
