package dev.berth.graph.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryHostsTest {
    private static RegistryHosts hosts(List<String> insecure, List<String> mirrors) {
        return new RegistryHosts(new RegistryOptions(insecure, mirrors, List.of(Path.of("/nonexistent")), 3, 5));
    }

    @Test
    void loopbackAndConfiguredRegistriesAreInsecure() {
        RegistryHosts hosts = hosts(List.of("registry.lan:5000", "10.1.0.0/16"), List.of());
        assertThat(hosts.isInsecure("localhost:5000")).isTrue();
        assertThat(hosts.isInsecure("127.0.0.1:5000")).isTrue();
        assertThat(hosts.isInsecure("127.9.9.9")).isTrue();
        assertThat(hosts.isInsecure("[::1]:5000")).isTrue();
        assertThat(hosts.isInsecure("registry.lan:5000")).isTrue();
        assertThat(hosts.isInsecure("registry.lan:5001")).isFalse();
        assertThat(hosts.isInsecure("10.1.200.3:443")).isTrue();
        assertThat(hosts.isInsecure("10.2.0.1:443")).isFalse();
        assertThat(hosts.isInsecure("example.com")).isFalse();
    }

    @Test
    void insecureRegistriesAreTriedOverHttpsThenHttp() {
        assertThat(hosts(List.of(), List.of()).endpoints("127.0.0.1:5000")).extracting(e -> e.base().toString())
                .containsExactly("https://127.0.0.1:5000", "http://127.0.0.1:5000");
        assertThat(hosts(List.of(), List.of()).endpoints("example.com:5000")).extracting(e -> e.base().toString())
                .containsExactly("https://example.com:5000");
    }

    @Test
    void dockerHubGoesToItsMirrorsFirst() {
        assertThat(hosts(List.of(), List.of("http://127.0.0.1:6000/")).endpoints("docker.io"))
                .extracting(e -> e.base().toString())
                .containsExactly("http://127.0.0.1:6000", "https://registry-1.docker.io");
    }

    @Test
    void aRegistrysClientIsMadeAgainOnlyWhenItsCaFilesChange(@TempDir Path certs) throws Exception {
        RegistryHosts hosts = new RegistryHosts(new RegistryOptions(List.of(), List.of(), List.of(certs), 3, 5));
        HttpClient before = hosts.endpoints("registry.lan:5000").get(0).http();
        assertThat(hosts.endpoints("registry.lan:5000").get(0).http()).isSameAs(before);
        Path dir = Files.createDirectories(certs.resolve("registry.lan:5000"));
        Files.writeString(dir.resolve("notes.txt"), "not a certificate");
        assertThat(hosts.endpoints("registry.lan:5000").get(0).http()).isSameAs(before);
        Files.writeString(dir.resolve("ca.crt"), CA);
        HttpClient after = hosts.endpoints("registry.lan:5000").get(0).http();
        assertThat(after).isNotSameAs(before);
        assertThat(hosts.endpoints("registry.lan:5000").get(0).http()).isSameAs(after);
    }

    @Test
    void anUnknownAuthorityIsSaidInDockerdsWords() {
        IOException handshake = new javax.net.ssl.SSLHandshakeException("PKIX path building failed");
        handshake.initCause(new java.security.cert.CertificateException(
                new java.security.cert.CertPathBuilderException("unable to find valid certification path")));
        assertThat(RegistryClient.describe(handshake))
                .isEqualTo("tls: failed to verify certificate: x509: certificate signed by unknown authority");
        assertThat(RegistryClient.describe(new java.net.ConnectException("Connection refused"))).isEqualTo("Connection refused");
    }

    /** A self-signed CA certificate (openssl req -x509, CN=berth unit test CA): any parseable one will do. */
    private static final String CA = """
            -----BEGIN CERTIFICATE-----
            MIICGDCCAYGgAwIBAgIUQHzOVQX7ZhMaRNHrTZAdzQXETsIwDQYJKoZIhvcNAQEL
            BQAwHTEbMBkGA1UEAwwSYmVydGggdW5pdCB0ZXN0IENBMCAXDTI2MTIwMjEwMzcz
            NFoYDzIxMjYxMTA4MTAzNzM0WjAdMRswGQYDVQQDDBJiZXJ0aCB1bml0IHRlc3Qg
            Q0EwgZ8wDQYJKoZIhvcNAQEBBQADgY0AMIGJAoGBALZXB4V0SlrDjuRbcd8isIua
            ZsZPQE8hPEFb/JwSxdfcHx+bwIbTCGz7kmxSs4cuOjMtiIsDXgqEYUqeqoRX3BCl
            1uJadROUzmwS5mOIwnzFchCqSfShKrwdYTvxtDLpOPlYmcRLeRi4irjLOPcxj6iz
            938FYfXbURyLSJmlLjvFAgMBAAGjUzBRMB0GA1UdDgQWBBQ1zr0kCpj7gkNKngpC
            N1/pYWuJDzAfBgNVHSMEGDAWgBQ1zr0kCpj7gkNKngpCN1/pYWuJDzAPBgNVHRMB
            Af8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4GBAGpx/3JaqsqaVlzTdF/5Dh6IDRDD
            oWflW2h7rTucao00XL715vEnaBcEtadVKdUCtbiHziRZcRsOjTMiDM1+au41HArq
            X9LG1vxJRqg2B1RnsLMLfxIiB3RnH9hgefWe2qeYtd4iF8Jp8S56IcaFCnU/ItNc
            NvgKnhpv+wLMoE86
            -----END CERTIFICATE-----
            """;
}
