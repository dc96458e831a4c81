package dev.berth.api.image;

import dev.berth.api.router.ApiVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Docker's JSON shapes for images, made from the graph worker's image view (see the graph
 * worker's ImageViews for its field names).
 */
final class ImageJson {
    private ImageJson() {
    }

    /** One item of GET /images/json. */
    static JsonObject summary(JsonObject view, ApiVersion version) {
        JsonObject summary = new JsonObject()
                .put("Containers", view.getInteger("containers", -1))
                .put("Created", view.getLong("createdUnix", 0L))
                .put("Id", view.getString("id"))
                .put("Labels", view.getJsonObject("labels", new JsonObject()))
                .put("ParentId", view.getString("parent", ""))
                .put("RepoDigests", view.getJsonArray("repoDigests", new JsonArray()))
                .put("RepoTags", view.getJsonArray("repoTags", new JsonArray()))
                .put("SharedSize", -1)
                .put("Size", view.getLong("size", 0L));
        if (version.below(1, 44)) {
            summary.put("VirtualSize", view.getLong("size", 0L));
        }
        if (version.below(1, 25)) {
            JsonArray tags = summary.getJsonArray("RepoTags");
            if (tags.isEmpty()) {
                summary.put("RepoTags", new JsonArray().add("<none>:<none>"));
            }
        }
        return summary;
    }

    /** GET /images/{name}/json. */
    static JsonObject inspect(JsonObject view, ApiVersion version) {
        JsonObject rootfs = view.getJsonObject("rootfs", new JsonObject());
        JsonObject driver = view.getJsonObject("graphDriver", new JsonObject());
        JsonObject inspect = new JsonObject()
                .put("Id", view.getString("id"))
                .put("RepoTags", view.getJsonArray("repoTags", new JsonArray()))
                .put("RepoDigests", view.getJsonArray("repoDigests", new JsonArray()))
                .put("Parent", view.getString("parent", ""))
                .put("Comment", view.getString("comment", ""))
                .put("Created", view.getString("created", ""))
                .put("DockerVersion", view.getString("dockerVersion", ""))
                .put("Author", view.getString("author", ""))
                .put("Config", view.getBoolean("hasConfig", true) ? view.getJsonObject("config", new JsonObject()) : null)
                .put("Architecture", view.getString("architecture", ""));
        String variant = view.getString("variant", "");
        if (!variant.isEmpty()) {
            inspect.put("Variant", variant);
        }
        inspect.put("Os", view.getString("os", ""));
        String osVersion = view.getString("osVersion", "");
        if (!osVersion.isEmpty()) {
            inspect.put("OsVersion", osVersion);
        }
        inspect.put("Size", view.getLong("size", 0L));
        if (version.below(1, 44)) {
            inspect.put("VirtualSize", view.getLong("size", 0L));
        }
        if (version.below(1, 45)) {
            inspect.put("Container", view.getString("container", ""));
            inspect.put("ContainerConfig", view.getJsonObject("containerConfig", new JsonObject()));
        }
        inspect.put("GraphDriver", new JsonObject()
                        .put("Data", driver.getJsonObject("data", new JsonObject()))
                        .put("Name", driver.getString("name", "overlay2")))
                .put("RootFS", new JsonObject()
                        .put("Type", rootfs.getString("type", "layers"))
                        .put("Layers", rootfs.getJsonArray("layers", new JsonArray())))
                .put("Metadata", new JsonObject().put("LastTagTime", view.getString("lastTagTime", "0001-01-01T00:00:00Z")));
        return inspect;
    }

    /** GET /images/{name}/history: newest first; only the top entry carries the id and tags. */
    static JsonArray history(JsonObject view) {
        JsonArray history = view.getJsonArray("history", new JsonArray());
        JsonArray sizes = view.getJsonArray("layerSizes", new JsonArray());
        JsonArray items = new JsonArray();
        int layer = 0;
        for (int i = 0; i < history.size(); i++) {
            JsonObject entry = history.getJsonObject(i);
            boolean empty = entry.getBoolean("empty_layer", false);
            long size = !empty && layer < sizes.size() ? sizes.getLong(layer) : 0;
            if (!empty) {
                layer++;
            }
            items.add(new JsonObject()
                    .put("Comment", entry.getString("comment", ""))
                    .put("Created", unixSeconds(entry.getString("created", "")))
                    .put("CreatedBy", entry.getString("created_by", ""))
                    .put("Id", "<missing>")
                    .put("Size", size)
                    .put("Tags", (Object) null));
        }
        JsonArray newestFirst = new JsonArray();
        for (int i = items.size() - 1; i >= 0; i--) {
            newestFirst.add(items.getValue(i));
        }
        if (!newestFirst.isEmpty()) {
            newestFirst.getJsonObject(0).put("Id", view.getString("id")).put("Tags", view.getJsonArray("repoTags", new JsonArray()));
        }
        return newestFirst;
    }

    private static long unixSeconds(String rfc3339) {
        try {
            return java.time.OffsetDateTime.parse(rfc3339).toEpochSecond();
        } catch (java.time.format.DateTimeParseException e) {
            return 0;
        }
    }
}
