package dev.berth.api.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.image.LoadProgress;
import dev.berth.bus.contract.image.TransferProgress;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The load's progress as the CLI draws it. */
class ProgressJsonTest {
    @Test
    void textBecomesAStreamLine() {
        assertThat(ProgressJson.of(LoadProgress.message("Loaded image: busybox:latest\n")))
                .isEqualTo(new JsonObject().put("stream", "Loaded image: busybox:latest\n"));
    }

    @Test
    void layerProgressDrawsDockersBar() {
        JsonObject json = ProgressJson.of(LoadProgress.layer("0123456789ab", 1_200_000, 3_400_000));
        assertThat(json.getString("status")).isEqualTo("Loading layer");
        assertThat(json.getString("id")).isEqualTo("0123456789ab");
        assertThat(json.getJsonObject("progressDetail")).isEqualTo(new JsonObject().put("current", 1_200_000L).put("total", 3_400_000L));
        assertThat(json.getString("progress")).isEqualTo("[=================>                                ] 1.2MB/3.4MB");
        assertThat(ProgressJson.of(LoadProgress.layer("x", 2048, 0)).getString("progress")).isEqualTo("2.048kB");
        assertThat(ProgressJson.of(LoadProgress.layer("x", 2048, 0)).getJsonObject("progressDetail").containsKey("total")).isFalse();
    }

    @Test
    void pullAndPushLinesAreDockersJsonMessages() {
        assertThat(ProgressJson.of(TransferProgress.status("1", "Pulling from team/app")))
                .isEqualTo(new JsonObject().put("status", "Pulling from team/app").put("id", "1"));
        assertThat(ProgressJson.of(TransferProgress.status("0123456789ab", "Pull complete")))
                .isEqualTo(new JsonObject().put("status", "Pull complete").put("progressDetail", new JsonObject())
                        .put("id", "0123456789ab"));
        JsonObject bar = ProgressJson.of(TransferProgress.bar("0123456789ab", "Downloading", 500_000, 1_000_000));
        assertThat(bar.getJsonObject("progressDetail")).isEqualTo(new JsonObject().put("current", 500_000L)
                .put("total", 1_000_000L));
        assertThat(bar.getString("progress")).startsWith("[=========================>").endsWith("] 500kB/1MB");
        assertThat(ProgressJson.of(TransferProgress.status(null, "Digest: sha256:abc")))
                .isEqualTo(new JsonObject().put("status", "Digest: sha256:abc"));
        assertThat(ProgressJson.of(new TransferProgress(null, null, 0, 0,
                new TransferProgress.PushedManifest("v1", "sha256:abc", 527))))
                .isEqualTo(new JsonObject().put("progressDetail", new JsonObject())
                        .put("aux", new JsonObject().put("Tag", "v1").put("Digest", "sha256:abc").put("Size", 527L)));
    }
}
