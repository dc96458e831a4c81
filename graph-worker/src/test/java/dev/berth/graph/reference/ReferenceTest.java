package dev.berth.graph.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReferenceTest {
    @ParameterizedTest
    @CsvSource({
        "busybox, docker.io/library/busybox:latest, busybox:latest",
        "busybox:1.36, docker.io/library/busybox:1.36, busybox:1.36",
        "docker.io/library/busybox, docker.io/library/busybox:latest, busybox:latest",
        "docker.io/busybox:x, docker.io/library/busybox:x, busybox:x",
        "index.docker.io/library/busybox, docker.io/library/busybox:latest, busybox:latest",
        "user/app, docker.io/user/app:latest, user/app:latest",
        "localhost:5000/x/y:1, localhost:5000/x/y:1, localhost:5000/x/y:1",
        "localhost/app, localhost/app:latest, localhost/app:latest",
        "quay.io/org/app:v2, quay.io/org/app:v2, quay.io/org/app:v2",
        "Registry/app, Registry/app:latest, Registry/app:latest",
        "[::1]:5000/app, [::1]:5000/app:latest, [::1]:5000/app:latest",
        "docker.io/library/a/b, docker.io/library/a/b:latest, library/a/b:latest",
    })
    void normalisesAsDockerDoes(String input, String full, String familiar) {
        Reference ref = Reference.parse(input).withDefaultTag();
        assertThat(ref.toString()).isEqualTo(full);
        assertThat(ref.familiarString()).isEqualTo(familiar);
    }

    @ParameterizedTest
    @CsvSource({
        "busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "x/y:t@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, x/y:t@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    })
    void keepsDigests(String input, String familiar) {
        Reference ref = Reference.parse(input);
        assertThat(ref.isDigested()).isTrue();
        assertThat(ref.withDefaultTag().familiarString()).isEqualTo(familiar);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Busybox|invalid reference format: repository name (library/Busybox) must be lowercase",
        "busy box|invalid reference format",
        "busybox:|invalid reference format",
        "-busybox|invalid reference format",
        "busybox:a:b|invalid reference format",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef|invalid repository name "
                + "(0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef), cannot specify 64-byte hexadecimal strings",
    })
    void refusesInvalidNamesWithDockersWording(String input, String message) {
        assertThatThrownBy(() -> Reference.parse(input))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-x", ".x", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void refusesInvalidTags(String tag) {
        assertThatThrownBy(() -> Reference.parse("busybox").withTag(tag)).hasMessage("invalid tag format");
    }

    @org.junit.jupiter.api.Test
    void refusesOverlongNames() {
        assertThatThrownBy(() -> Reference.parse("a/" + "b".repeat(300)))
                .hasMessageContaining("must not be more than 255 characters");
    }

    @org.junit.jupiter.api.Test
    void aRepoDigestDropsTheTag() {
        String digest = "sha256:" + "ab".repeat(32);
        Reference ref = Reference.parse("127.0.0.1:5000/team/app:1").withDigest(digest);
        assertThat(ref.familiarString()).isEqualTo("127.0.0.1:5000/team/app@" + digest);
        assertThat(ref.isTagged()).isFalse();
        assertThat(Reference.parse("busybox").withDigest(digest).toString()).isEqualTo("docker.io/library/busybox@" + digest);
        assertThatThrownBy(() -> Reference.parse("busybox").withDigest("sha256:short"))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }
}
