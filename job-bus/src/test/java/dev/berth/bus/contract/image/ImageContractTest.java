package dev.berth.bus.contract.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.berth.bus.JobCodec;
import dev.berth.bus.Locality;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The image jobs on the wire: the exec worker still sends and reads some of them as plain JSON,
 * so their field names are part of the contract.
 */
class ImageContractTest {
    @Test
    void inspectRepliesKeepTheFieldsTheExecWorkerReads() {
        ImageView view = new ImageView("sha256:ab", "", List.of("busybox:latest"), List.of(), "2024-01-01T00:00:00Z", 1704067200L,
                "amd64", "", "linux", "", "", "", "", 42, JsonNodeFactory.instance.objectNode().put("WorkingDir", "/w"), null, "",
                new ImageView.RootFs("layers", List.of("sha256:cd")),
                List.of(new ImageView.HistoryEntry("2024-01-01T00:00:00Z", "/bin/sh -c #(nop) CMD [\"sh\"]", "", "", true)),
                Map.of("a", "b"), "0001-01-01T00:00:00Z", 1, "sha256:ef", new ImageView.GraphDriver("overlay2", Map.of()), List.of(7L));
        JsonObject wire = JobCodec.encode(view);
        assertThat(wire.getString("id")).isEqualTo("sha256:ab");
        assertThat(wire.getJsonObject("config").getString("WorkingDir")).isEqualTo("/w");
        assertThat(wire.getJsonArray("history").getJsonObject(0).getBoolean("empty_layer")).isTrue();
        assertThat(wire.getJsonArray("history").getJsonObject(0).getString("created_by")).startsWith("/bin/sh");
        assertThat(wire.containsKey("containerConfig")).isFalse();
        assertThat(JobCodec.decode(wire, ImageView.class)).isEqualTo(view);
    }

    @Test
    void snapshotJobsKeepTheirJsonNamesAndStayOnTheirNode() {
        assertThat(JobCodec.decode(new JsonObject().put("id", "c1").put("image", "busybox"), PrepareSnapshot.class))
                .isEqualTo(new PrepareSnapshot("c1", "busybox"));
        assertThat(JobCodec.encode(new MountedSnapshot("/r", "/u", "/w", "/l")).getString("rootfs")).isEqualTo("/r");
        assertThat(List.of(ImageJobTypes.SNAPSHOT_PREPARE, ImageJobTypes.SNAPSHOT_MOUNT, ImageJobTypes.SNAPSHOT_UNMOUNT,
                ImageJobTypes.SNAPSHOT_REMOVE)).allSatisfy(type -> {
                    assertThat(type.locality()).isEqualTo(Locality.NODE_LOCAL);
                    assertThat(type.name()).startsWith("snapshot.");
                });
        assertThat(ImageJobTypes.INSPECT.locality()).isEqualTo(Locality.ANY_NODE);
    }

    @Test
    void listFiltersToleranceOfNullsAndTheSummaryNames() {
        ListImages list = JobCodec.decode(new JsonObject().put("all", true).putNull("filters"), ListImages.class);
        assertThat(list.all()).isTrue();
        assertThat(list.filters()).isEmpty();
        JsonObject summary = JobCodec.encode(new ImageStoreSummary(2, "overlay2", List.of(List.of("Backing Filesystem", "extfs")), "extfs"));
        assertThat(summary.fieldNames()).containsExactlyInAnyOrder("images", "driver", "driverStatus", "backingFilesystem");
    }
}
