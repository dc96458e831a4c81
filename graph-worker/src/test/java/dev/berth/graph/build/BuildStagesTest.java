package dev.berth.graph.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildStagesTest {
    private static final List<Instruction> STEPS = DockerfileParser.parse("""
            ARG V=1
            FROM busybox AS Build
            RUN make
            FROM busybox
            COPY --from=build /out /out
            FROM busybox AS last
            """).instructions();

    @Test
    void aTargetCutsAfterItsStageAndAnUnknownOneIsRefused() {
        assertThat(BuildStages.untilTarget(STEPS, null)).hasSize(6);
        assertThat(BuildStages.untilTarget(STEPS, "build")).extracting(Instruction::keyword).containsExactly("ARG", "FROM", "RUN");
        assertThat(BuildStages.untilTarget(STEPS, "last")).hasSize(6);
        assertThatThrownBy(() -> BuildStages.untilTarget(STEPS, "nowhere")).isInstanceOf(EngineException.class)
                .hasMessage("failed to reach build target nowhere in Dockerfile");
    }

    @Test
    void finishedStagesAreFoundByNameOrNumberButNeverTheCurrentOne() {
        BuildStages stages = new BuildStages();
        assertThat(stages.started()).isFalse();
        stages.begin("Build", null);
        assertThat(stages.started()).isTrue();
        assertThat(stages.named("build")).isEmpty();
        assertThatThrownBy(() -> stages.copySource("build")).hasMessageContaining("current");
        stages.begin(null, "sha256:first");
        assertThat(stages.named("BUILD")).contains("sha256:first");
        assertThat(stages.copySource("build")).contains("sha256:first");
        assertThat(stages.copySource("0")).contains("sha256:first");
        assertThatThrownBy(() -> stages.copySource("1")).hasMessageContaining("current");
        assertThat(stages.copySource("busybox")).isEmpty();
        assertThat(stages.named("busybox")).isEmpty();
    }

    @Test
    void badOrDuplicateNamesAreRefused() {
        BuildStages stages = new BuildStages();
        assertThatThrownBy(() -> stages.begin("1st", null)).hasMessageContaining("invalid name for build stage");
        stages.begin("one", null);
        assertThatThrownBy(() -> stages.begin("ONE", "sha256:x")).hasMessageContaining("duplicate name");
    }
}
