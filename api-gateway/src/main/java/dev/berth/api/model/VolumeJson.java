package dev.berth.api.model;

import dev.berth.bus.contract.volume.VolumeView;
import io.vertx.core.json.JsonObject;

/** Docker's Volume object (GET /volumes/{name}, the items of GET /volumes) from the worker's view. */
public final class VolumeJson {
    private VolumeJson() {
    }

    public static JsonObject of(VolumeView view) {
        return new JsonObject()
                .put("CreatedAt", view.createdAt())
                .put("Driver", view.driver())
                .put("Labels", view.labels() == null ? null : new JsonObject(new java.util.TreeMap<String, Object>(view.labels())))
                .put("Mountpoint", view.mountpoint())
                .put("Name", view.name())
                .put("Options", view.options() == null ? null : new JsonObject(new java.util.TreeMap<String, Object>(view.options())))
                .put("Scope", view.scope());
    }
}
