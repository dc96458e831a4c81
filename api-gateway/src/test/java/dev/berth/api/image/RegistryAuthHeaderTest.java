package dev.berth.api.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.image.RegistryAuth;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** X-Registry-Auth as the CLI and other clients send it. */
class RegistryAuthHeaderTest {
    private static String urlSafe(String json) {
        return Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void usernameAndPasswordFromBase64UrlJson() {
        RegistryAuth auth = RegistryAuthHeader.decode(urlSafe(
                "{\"username\":\"alice\",\"password\":\"p?>w\",\"serveraddress\":\"127.0.0.1:5000\"}"));
        assertThat(auth.username()).isEqualTo("alice");
        assertThat(auth.password()).isEqualTo("p?>w");
        assertThat(auth.serverAddress()).isEqualTo("127.0.0.1:5000");
        assertThat(auth.toString()).doesNotContain("p?>w");
    }

    @Test
    void theAuthFieldStandsForUserAndPassword() {
        String pair = Base64.getEncoder().encodeToString("bob:secret".getBytes(StandardCharsets.UTF_8));
        RegistryAuth auth = RegistryAuthHeader.decode(urlSafe("{\"auth\":\"" + pair + "\"}"));
        assertThat(auth.username()).isEqualTo("bob");
        assertThat(auth.password()).isEqualTo("secret");
    }

    @Test
    void whatDoesNotDecodeIsNoCredentials() {
        assertThat(RegistryAuthHeader.decode(null)).isNull();
        assertThat(RegistryAuthHeader.decode("")).isNull();
        assertThat(RegistryAuthHeader.decode("!!not base64!!")).isNull();
        assertThat(RegistryAuthHeader.decode(urlSafe("[1,2]"))).isNull();
        RegistryAuth empty = RegistryAuthHeader.decode(urlSafe("{}"));
        assertThat(empty.hasPassword()).isFalse();
    }

    @Test
    void aBuildsRegistryConfigHoldsCredentialsByRegistryAddress() {
        String pair = Base64.getEncoder().encodeToString("carol:pw1".getBytes(StandardCharsets.UTF_8));
        Map<String, RegistryAuth> auths = RegistryAuthHeader.decodeConfig(urlSafe("{\"127.0.0.1:5000\":{\"auth\":\"" + pair
                + "\"},\"https://index.docker.io/v1/\":{\"username\":\"dan\",\"password\":\"pw2\","
                + "\"serveraddress\":\"https://index.docker.io/v1/\"}}"));
        assertThat(auths).containsOnlyKeys("127.0.0.1:5000", "https://index.docker.io/v1/");
        assertThat(auths.get("127.0.0.1:5000").username()).isEqualTo("carol");
        assertThat(auths.get("127.0.0.1:5000").password()).isEqualTo("pw1");
        assertThat(auths.get("127.0.0.1:5000").serverAddress()).isEqualTo("127.0.0.1:5000");
        assertThat(auths.get("https://index.docker.io/v1/").password()).isEqualTo("pw2");
        assertThat(RegistryAuthHeader.decodeConfig(null)).isEmpty();
        assertThat(RegistryAuthHeader.decodeConfig("!!not base64!!")).isEmpty();
        assertThat(RegistryAuthHeader.decodeConfig(urlSafe("{\"r\":3}"))).isEmpty();
    }
}
