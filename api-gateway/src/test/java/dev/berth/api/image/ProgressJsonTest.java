package dev.berth.api.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.image.LoadProgress;
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
}
