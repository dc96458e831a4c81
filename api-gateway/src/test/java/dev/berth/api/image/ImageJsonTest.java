package dev.berth.api.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.berth.api.router.ApiVersion;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.image.ImageView;
import dev.berth.bus.contract.image.RemovedImages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The graph worker's image view rendered in Docker's shapes, per API version. */
class ImageJsonTest {
    static final String ID = "sha256:" + "a".repeat(64);

    static ImageView view(boolean withConfig) {
        return new ImageView(ID, "", List.of("busybox:latest"), List.of(), "2024-01-02T03:04:05Z", 1704164645L, "amd64", "",
                "linux", "", "", "", "", 1234, withConfig ? JsonNodeFactory.instance.objectNode().put("WorkingDir", "/") : null,
                null, "", new ImageView.RootFs("layers", List.of("sha256:" + "b".repeat(64))),
                List.of(new ImageView.HistoryEntry("2024-01-02T03:04:05Z", "ADD file", "", "", false),
                        new ImageView.HistoryEntry("2024-01-02T03:04:05Z", "CMD [\"sh\"]", "", "", true)),
                Map.of("a", "b"), "0001-01-01T00:00:00Z", 2, "sha256:" + "c".repeat(64),
                new ImageView.GraphDriver("overlay2", Map.of("UpperDir", "/u")), List.of(1234L));
    }

    static JsonObject json(Object shape) {
        return new JsonObject(JobCodec.encodeToBuffer(shape));
    }

    @Test
    void inspectKeepsConfigEvenWhenNullAndLeavesOutWhatTheVersionDropped() {
        JsonObject current = json(ImageJson.inspect(view(false), ApiVersion.MAX));
        assertThat(current.containsKey("Config")).isTrue();
        assertThat(current.getValue("Config")).isNull();
        assertThat(current.fieldNames()).doesNotContain("VirtualSize", "Container", "ContainerConfig", "Variant", "OsVersion");
        assertThat(current.getJsonObject("GraphDriver").getString("Name")).isEqualTo("overlay2");
        assertThat(current.getJsonObject("RootFS").getJsonArray("Layers")).hasSize(1);
        assertThat(current.getJsonObject("Metadata").getString("LastTagTime")).isEqualTo("0001-01-01T00:00:00Z");

        JsonObject old = json(ImageJson.inspect(view(true), new ApiVersion(1, 41)));
        assertThat(old.getLong("VirtualSize")).isEqualTo(1234L);
        assertThat(old.getJsonObject("ContainerConfig")).isEqualTo(new JsonObject());
        assertThat(old.getJsonObject("Config").getString("WorkingDir")).isEqualTo("/");
    }

    @Test
    void summaryAndHistoryAsTheCliReadsThem() {
        JsonObject summary = json(ImageJson.summary(view(true), ApiVersion.MAX));
        assertThat(summary.getLong("Containers")).isEqualTo(2L);
        assertThat(summary.getLong("Created")).isEqualTo(1704164645L);
        assertThat(summary.getLong("SharedSize")).isEqualTo(-1L);
        assertThat(summary.containsKey("VirtualSize")).isFalse();

        JsonArray history = new JsonArray(JobCodec.encodeToBuffer(ImageJson.history(view(true))));
        assertThat(history).hasSize(2);
        assertThat(history.getJsonObject(0).getString("Id")).isEqualTo(ID);
        assertThat(history.getJsonObject(0).getLong("Size")).isZero();
        assertThat(history.getJsonObject(1).getString("Id")).isEqualTo("<missing>");
        assertThat(history.getJsonObject(1).getLong("Size")).isEqualTo(1234L);
        assertThat(history.getJsonObject(1).containsKey("Tags")).isTrue();
        assertThat(history.getJsonObject(1).getValue("Tags")).isNull();
    }

    @Test
    void removalItemsHoldOneFieldEach() {
        JsonArray items = new JsonArray(JobCodec.encodeToBuffer(ImageJson.removed(new RemovedImages(List.of(
                RemovedImages.Item.untagged("busybox:latest"), RemovedImages.Item.deleted(ID))))));
        assertThat(items).containsExactly(new JsonObject().put("Untagged", "busybox:latest"), new JsonObject().put("Deleted", ID));
    }
}
