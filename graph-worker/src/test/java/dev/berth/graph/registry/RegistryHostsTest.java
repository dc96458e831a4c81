package dev.berth.graph.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
