package dev.berth.graph.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import org.junit.jupiter.api.Test;

class BuilderSettingsTest {
    private static Instruction parse(String line) {
        return DockerfileParser.parse(line).instructions().get(0);
    }

    @Test
    void aShellFormHealthcheckWithOptionsBecomesCmdShellAndNanoseconds() {
        assertThat(BuilderSettings.healthcheck(parse("HEALTHCHECK --interval=1m30s --timeout=500ms --start-period=2s"
                + " --retries=4 CMD wget -q localhost || exit 1")).toString())
                .isEqualTo("{\"Test\":[\"CMD-SHELL\",\"wget -q localhost || exit 1\"],\"Interval\":90000000000,"
                        + "\"Timeout\":500000000,\"StartPeriod\":2000000000,\"Retries\":4}");
    }

    @Test
    void anExecFormHealthcheckIsCmdAndNoneDisablesTheBasesCheck() {
        assertThat(BuilderSettings.healthcheck(parse("HEALTHCHECK CMD [\"true\", \"x\"]")).toString())
                .isEqualTo("{\"Test\":[\"CMD\",\"true\",\"x\"]}");
        assertThat(BuilderSettings.healthcheck(parse("HEALTHCHECK NONE")).toString()).isEqualTo("{\"Test\":[\"NONE\"]}");
    }

    @Test
    void badHealthchecksAreRefused() {
        assertThatThrownBy(() -> BuilderSettings.healthcheck(parse("HEALTHCHECK --interval=10 CMD true")))
                .isInstanceOf(EngineException.class).hasMessageContaining("interval");
        assertThatThrownBy(() -> BuilderSettings.healthcheck(parse("HEALTHCHECK --interval=10us CMD true")))
                .hasMessageContaining("less than 1ms");
        assertThatThrownBy(() -> BuilderSettings.healthcheck(parse("HEALTHCHECK --bogus=1 CMD true")))
                .hasMessageContaining("bogus");
        assertThatThrownBy(() -> BuilderSettings.healthcheck(parse("HEALTHCHECK RUN true"))).hasMessageContaining("RUN");
        assertThatThrownBy(() -> BuilderSettings.healthcheck(parse("HEALTHCHECK CMD"))).hasMessageContaining("Missing command");
    }

    @Test
    void goDurationsAddTheirParts() {
        assertThat(BuilderSettings.goDuration("1h2m3s", "x")).isEqualTo(3_723_000_000_000L);
        assertThat(BuilderSettings.goDuration("1.5s", "x")).isEqualTo(1_500_000_000L);
        assertThat(BuilderSettings.goDuration("0", "x")).isZero();
    }

    @Test
    void shellTakesOnlyTheJsonForm() {
        assertThat(BuilderSettings.shell(parse("SHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]")))
                .containsExactly("/bin/ash", "-eo", "pipefail", "-c");
        assertThatThrownBy(() -> BuilderSettings.shell(parse("SHELL /bin/ash -c"))).hasMessageContaining("JSON form");
    }
}
