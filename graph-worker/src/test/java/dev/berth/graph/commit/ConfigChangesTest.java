package dev.berth.graph.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.EngineException;
import dev.berth.graph.image.ImageConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigChangesTest {
    ObjectNode config(String json) throws Exception {
        return (ObjectNode) ImageConfig.JSON.readTree(json);
    }

    @Test
    void execAndShellFormsOfCmdAndEntrypoint() throws Exception {
        ObjectNode config = config("{}");
        ConfigChanges.apply(config, List.of("CMD [\"cat\", \"/tmp/x\"]", "ENTRYPOINT echo hello  world"));
        assertThat(config.get("Cmd").toString()).isEqualTo("[\"cat\",\"/tmp/x\"]");
        assertThat(config.get("Entrypoint").toString()).isEqualTo("[\"/bin/sh\",\"-c\",\"echo hello  world\"]");
    }

    @Test
    void envReplacesAVariableAndKeepsTheOthers() throws Exception {
        ObjectNode config = config("{\"Env\":[\"PATH=/bin\",\"A=1\"]}");
        ConfigChanges.apply(config, List.of("ENV A=2 B=\"two words\"", "env C some value"));
        assertThat(config.get("Env").toString()).isEqualTo("[\"PATH=/bin\",\"A=2\",\"B=two words\",\"C=some value\"]");
    }

    @Test
    void workdirExposeLabelUserVolumeStopSignal() throws Exception {
        ObjectNode config = config("{\"WorkingDir\":\"/srv\"}");
        ConfigChanges.apply(config, List.of("WORKDIR app", "EXPOSE 80 53/UDP", "LABEL a=b c=\"d e\"", "USER nobody",
                "VOLUME [\"/data\"]", "VOLUME /logs /cache", "STOPSIGNAL SIGINT"));
        assertThat(config.get("WorkingDir").asText()).isEqualTo("/srv/app");
        assertThat(config.get("ExposedPorts").toString()).isEqualTo("{\"80/tcp\":{},\"53/udp\":{}}");
        assertThat(config.get("Labels").toString()).isEqualTo("{\"a\":\"b\",\"c\":\"d e\"}");
        assertThat(config.get("User").asText()).isEqualTo("nobody");
        assertThat(config.get("Volumes").toString()).isEqualTo("{\"/data\":{},\"/logs\":{},\"/cache\":{}}");
        assertThat(config.get("StopSignal").asText()).isEqualTo("SIGINT");
    }

    @Test
    void anInstructionThatIsNoChangeIsRefused() {
        assertThatThrownBy(() -> ConfigChanges.apply(config("{}"), List.of("RUN rm -rf /")))
                .isInstanceOf(EngineException.class).hasMessage("run is not a valid change command");
        assertThatThrownBy(() -> ConfigChanges.apply(config("{}"), List.of("LABEL novalue")))
                .isInstanceOf(EngineException.class);
    }
}
