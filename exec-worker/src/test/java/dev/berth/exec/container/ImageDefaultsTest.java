package dev.berth.exec.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ImageDefaultsTest {
    private static final JsonObject IMAGE = new JsonObject()
            .put("Env", new JsonArray().add("PATH=/usr/bin:/bin").add("LANG=C"))
            .put("Cmd", new JsonArray().add("sh"))
            .put("Entrypoint", new JsonArray().add("/entry"))
            .put("WorkingDir", "/srv")
            .put("User", "app")
            .put("Labels", new JsonObject().put("from", "image").put("both", "image"));

    @Test
    void theImageFillsWhatTheRequestLeavesOut() {
        JsonObject merged = ImageDefaults.merge(new JsonObject().put("Image", "x"), IMAGE);
        assertThat(merged.getJsonArray("Cmd")).containsExactly("sh");
        assertThat(merged.getJsonArray("Entrypoint")).containsExactly("/entry");
        assertThat(merged.getString("WorkingDir")).isEqualTo("/srv");
        assertThat(merged.getString("User")).isEqualTo("app");
        assertThat(merged.getJsonArray("Env")).containsExactly("PATH=/usr/bin:/bin", "LANG=C");
    }

    @Test
    void requestValuesWinAndEnvIsMergedByKey() {
        JsonObject requested = new JsonObject()
                .put("Cmd", new JsonArray().add("echo").add("hi"))
                .put("Env", new JsonArray().add("LANG=fr").add("NEW=1"))
                .put("WorkingDir", "/tmp")
                .put("Labels", new JsonObject().put("both", "request"));
        JsonObject merged = ImageDefaults.merge(requested, IMAGE);
        assertThat(merged.getJsonArray("Cmd")).containsExactly("echo", "hi");
        assertThat(merged.getJsonArray("Entrypoint")).containsExactly("/entry");
        assertThat(merged.getJsonArray("Env")).containsExactly("PATH=/usr/bin:/bin", "LANG=fr", "NEW=1");
        assertThat(merged.getString("WorkingDir")).isEqualTo("/tmp");
        assertThat(merged.getJsonObject("Labels").getMap()).containsEntry("both", "request").containsEntry("from", "image");
    }

    @Test
    void anEntrypointDropsTheImagesCommand() {
        JsonObject merged = ImageDefaults.merge(new JsonObject().put("Entrypoint", new JsonArray().add("date")), IMAGE);
        assertThat(merged.getJsonArray("Entrypoint")).containsExactly("date");
        assertThat(merged.getJsonArray("Cmd")).isNull();
    }

    @Test
    void anEmptyEntrypointResetsTheImagesOne() {
        JsonObject requested = new JsonObject().put("Entrypoint", new JsonArray().add("")).put("Cmd", new JsonArray().add("ls"));
        JsonObject merged = ImageDefaults.merge(requested, IMAGE);
        assertThat(merged.getValue("Entrypoint")).isNull();
        assertThat(merged.getJsonArray("Cmd")).containsExactly("ls");
    }

    @Test
    void nothingToRunIsRefused() {
        assertThatThrownBy(() -> ImageDefaults.merge(new JsonObject(), new JsonObject()))
                .isInstanceOf(EngineException.class).hasMessage("No command specified");
    }

    @Test
    void processEnvAddsPathHostnameTermAndHome() {
        assertThat(ImageDefaults.processEnv(new JsonArray().add("A=1"), "h1", true, "/root"))
                .containsExactly(ImageDefaults.DEFAULT_PATH, "HOSTNAME=h1", "TERM=xterm", "HOME=/root", "A=1");
        assertThat(ImageDefaults.processEnv(new JsonArray().add("PATH=/x").add("HOME=/h"), "h1", false, "/root"))
                .containsExactly("HOSTNAME=h1", "PATH=/x", "HOME=/h");
    }
}
