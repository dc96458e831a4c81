package dev.berth.graph.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthChallengeTest {
    @Test
    void bearerParametersAreReadWithQuotesAndCommas() {
        AuthChallenge challenge = AuthChallenge.parse(
                "Bearer realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:a/b:pull,push\"");
        assertThat(challenge.isBearer()).isTrue();
        assertThat(challenge.parameter("realm")).isEqualTo("https://auth.example/token");
        assertThat(challenge.parameter("service")).isEqualTo("registry.example");
        assertThat(challenge.parameter("scope")).isEqualTo("repository:a/b:pull,push");
    }

    @Test
    void basicAndEmptyHeaders() {
        AuthChallenge basic = AuthChallenge.parse("Basic realm=\"Registry Realm\"");
        assertThat(basic.isBasic()).isTrue();
        assertThat(basic.parameter("realm")).isEqualTo("Registry Realm");
        assertThat(AuthChallenge.parse("")).isNull();
        assertThat(AuthChallenge.parse(null)).isNull();
    }
}
