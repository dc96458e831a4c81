package dev.berth.exec.container;

import static dev.berth.exec.container.Configs.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.container.ContainerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageDefaultsTest {
    private static final ContainerConfig IMAGE = config("{\"Env\":[\"PATH=/usr/bin:/bin\",\"LANG=C\"],\"Cmd\":[\"sh\"],"
            + "\"Entrypoint\":[\"/entry\"],\"WorkingDir\":\"/srv\",\"User\":\"app\",\"StopSignal\":\"SIGQUIT\","
            + "\"Labels\":{\"from\":\"image\",\"both\":\"image\"},\"ExposedPorts\":{\"80/tcp\":{}}}");

    @Test
    void theImageFillsWhatTheRequestLeavesOut() {
        ContainerConfig merged = ImageDefaults.merge(config("{\"Image\":\"x\"}"), IMAGE, "h1");
        assertThat(merged.cmd()).containsExactly("sh");
        assertThat(merged.entrypoint()).containsExactly("/entry");
        assertThat(merged.workingDir()).isEqualTo("/srv");
        assertThat(merged.user()).isEqualTo("app");
        assertThat(merged.stopSignal()).isEqualTo("SIGQUIT");
        assertThat(merged.env()).containsExactly("PATH=/usr/bin:/bin", "LANG=C");
        assertThat(merged.exposedPorts()).containsKey("80/tcp");
        assertThat(merged.hostname()).isEqualTo("h1");
        assertThat(merged.image()).isEqualTo("x");
    }

    @Test
    void requestValuesWinAndEnvIsMergedByKey() {
        ContainerConfig requested = config("{\"Cmd\":[\"echo\",\"hi\"],\"Env\":[\"LANG=fr\",\"NEW=1\"],\"WorkingDir\":\"/tmp\","
                + "\"Labels\":{\"both\":\"request\"}}");
        ContainerConfig merged = ImageDefaults.merge(requested, IMAGE, "h1");
        assertThat(merged.cmd()).containsExactly("echo", "hi");
        assertThat(merged.entrypoint()).containsExactly("/entry");
        assertThat(merged.env()).containsExactly("PATH=/usr/bin:/bin", "LANG=fr", "NEW=1");
        assertThat(merged.workingDir()).isEqualTo("/tmp");
        assertThat(merged.labels()).containsEntry("both", "request").containsEntry("from", "image");
    }

    @Test
    void anEntrypointDropsTheImagesCommand() {
        ContainerConfig merged = ImageDefaults.merge(config("{\"Entrypoint\":\"date\"}"), IMAGE, "h1");
        assertThat(merged.entrypoint()).containsExactly("date");
        assertThat(merged.cmd()).isNull();
    }

    @Test
    void anEmptyEntrypointResetsTheImagesOne() {
        ContainerConfig merged = ImageDefaults.merge(config("{\"Entrypoint\":[\"\"],\"Cmd\":[\"ls\"]}"), IMAGE, "h1");
        assertThat(merged.entrypoint()).isNull();
        assertThat(merged.cmd()).containsExactly("ls");
    }

    @Test
    void nullsFromDockerJavaTakeTheImagesValues() {
        ContainerConfig merged = ImageDefaults.merge(config("{\"Image\":\"x\",\"Cmd\":null,\"Entrypoint\":null,\"Env\":null,"
                + "\"WorkingDir\":null,\"User\":null,\"Labels\":null}"), IMAGE, "h1");
        assertThat(merged.cmd()).containsExactly("sh");
        assertThat(merged.user()).isEqualTo("app");
        assertThat(merged.labels()).containsEntry("from", "image");
        assertThat(ImageDefaults.merge(config("{\"Labels\":{\"empty\":null}}"), IMAGE, "h1").labels())
                .containsEntry("empty", "");
    }

    @Test
    void nothingToRunIsRefused() {
        assertThatThrownBy(() -> ImageDefaults.merge(config("{}"), ContainerConfig.empty(), "h1"))
                .isInstanceOf(EngineException.class).hasMessage("No command specified");
    }

    @Test
    void processEnvAddsPathHostnameTermAndHome() {
        assertThat(ImageDefaults.processEnv(List.of("A=1"), "h1", true, "/root"))
                .containsExactly(ImageDefaults.DEFAULT_PATH, "HOSTNAME=h1", "TERM=xterm", "HOME=/root", "A=1");
        assertThat(ImageDefaults.processEnv(List.of("PATH=/x", "HOME=/h"), "h1", false, "/root"))
                .containsExactly("HOSTNAME=h1", "PATH=/x", "HOME=/h");
    }
}
