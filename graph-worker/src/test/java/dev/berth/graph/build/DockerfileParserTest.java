package dev.berth.graph.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerfileParserTest {
    @Test
    void continuationsJoinLinesAndSkipCommentsInside() {
        DockerfileParser.Dockerfile file = DockerfileParser.parse("""
                # a comment
                FROM busybox AS base

                RUN echo one \\
                # a comment inside the continuation
                    && echo two \\\t
                    && echo three
                cmd ["sh", "-c", "echo hi"]
                """);
        assertThat(file.escape()).isEqualTo('\\');
        List<Instruction> steps = file.instructions();
        assertThat(steps).extracting(Instruction::keyword).containsExactly("FROM", "RUN", "CMD");
        assertThat(steps.get(0).rest()).isEqualTo("busybox AS base");
        assertThat(steps.get(1).rest()).isEqualTo("echo one     && echo two     && echo three");
        assertThat(steps.get(1).isExecForm()).isFalse();
        assertThat(steps.get(1).line()).isEqualTo(4);
        assertThat(steps.get(2).json()).containsExactly("sh", "-c", "echo hi");
    }

    @Test
    void theEscapeDirectiveChangesTheContinuationCharacter() {
        DockerfileParser.Dockerfile file = DockerfileParser.parse("# escape=`\nFROM busybox\nRUN dir c:\\ `\n  && echo done\n");
        assertThat(file.escape()).isEqualTo('`');
        assertThat(file.instructions().get(1).rest()).isEqualTo("dir c:\\   && echo done");
        assertThatThrownBy(() -> DockerfileParser.parse("# escape=x\nFROM busybox\n")).isInstanceOf(EngineException.class);
    }

    @Test
    void aDirectiveAfterAnInstructionIsAComment() {
        DockerfileParser.Dockerfile file = DockerfileParser.parse("FROM busybox\n# escape=`\nRUN a \\\n b\n");
        assertThat(file.escape()).isEqualTo('\\');
        assertThat(file.instructions().get(1).rest()).isEqualTo("a  b");
    }

    @Test
    void flagsComeBeforeTheArgumentsAndAnInvalidJsonArrayIsTheShellForm() {
        List<Instruction> steps = DockerfileParser.parse("""
                COPY --from=build --chown=1:2 /out/app /usr/bin/
                ADD --chown=nobody ["a b.txt", "/dst/"]
                ENTRYPOINT [not json]
                """).instructions();
        assertThat(steps.get(0).flags()).containsExactly(Map.entry("from", "build"), Map.entry("chown", "1:2"));
        assertThat(steps.get(0).rest()).isEqualTo("/out/app /usr/bin/");
        assertThat(steps.get(0).display()).isEqualTo("COPY --from=build --chown=1:2 /out/app /usr/bin/");
        assertThat(steps.get(1).json()).containsExactly("a b.txt", "/dst/");
        assertThat(steps.get(2).isExecForm()).isFalse();
        assertThat(steps.get(2).rest()).isEqualTo("[not json]");
    }

    @Test
    void variablesExpandWithDefaultsAlternativesAndEscapes() {
        Map<String, String> vars = Map.of("VERSION", "1.2", "EMPTY", "");
        assertThat(Substitution.expand("app-$VERSION.tar", vars, '\\')).isEqualTo("app-1.2.tar");
        assertThat(Substitution.expand("${VERSION}_x ${MISSING:-dflt} ${EMPTY:-e} ${VERSION:+set}${MISSING:+no}", vars, '\\'))
                .isEqualTo("1.2_x dflt e set");
        assertThat(Substitution.expand("\\$VERSION '$VERSION' $", vars, '\\')).isEqualTo("$VERSION '$VERSION' $");
        assertThatThrownBy(() -> Substitution.expand("${VERSION", vars, '\\')).isInstanceOf(EngineException.class);
    }
}
