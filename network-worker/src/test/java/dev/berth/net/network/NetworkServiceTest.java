package dev.berth.net.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.network.NetworkView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkServiceTest {
    private static final Instant STARTED = Instant.parse("2026-12-01T22:00:00.123456789Z");
    private final NetworkService service = new NetworkService(new PredefinedNetworks("n1", STARTED));

    private List<String> names(Map<String, List<String>> filters) {
        return service.list(filters).networks().stream().map(NetworkView::name).toList();
    }

    @Test
    void thePredefinedNetworksWithStableIdsPerNode() {
        List<NetworkView> all = service.list(null).networks();
        assertThat(all).extracting(NetworkView::name, NetworkView::driver, NetworkView::scope)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("bridge", "bridge", "local"),
                        org.assertj.core.groups.Tuple.tuple("host", "host", "local"),
                        org.assertj.core.groups.Tuple.tuple("none", "null", "local"));
        assertThat(all).allSatisfy(n -> {
            assertThat(n.id()).matches("[0-9a-f]{64}");
            assertThat(n.created()).isEqualTo("2026-12-01T22:00:00.123456789Z");
            assertThat(n.labels()).isEmpty();
        });
        NetworkService again = new NetworkService(new PredefinedNetworks("n1", Instant.now()));
        assertThat(again.list(null).networks()).extracting(NetworkView::id).isEqualTo(all.stream().map(NetworkView::id).toList());
        NetworkService otherNode = new NetworkService(new PredefinedNetworks("n2", STARTED));
        assertThat(otherNode.inspect("bridge", null).id()).isNotEqualTo(service.inspect("bridge", null).id());
    }

    @Test
    void listAppliesTheFilters() {
        assertThat(names(Map.of("label", List.of("x")))).as("the predefined networks have no labels").isEmpty();
        assertThat(names(Map.of("name", List.of("host")))).containsExactly("host");
        assertThat(names(Map.of("type", List.of("builtin")))).containsExactly("bridge", "host", "none");
        assertThat(names(Map.of("type", List.of("custom")))).isEmpty();
        assertThat(names(Map.of("driver", List.of("null")))).containsExactly("none");
        assertThat(names(Map.of("dangling", List.of("true")))).isEmpty();
        assertThatThrownBy(() -> service.list(Map.of("bogus", List.of("1"))))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.getMessage()).isEqualTo("invalid filter 'bogus'"));
    }

    @Test
    void inspectFindsByNameFullIdOrUniquePrefix() {
        NetworkView host = service.inspect("host", null);
        assertThat(service.inspect(host.id(), null)).isEqualTo(host);
        assertThat(service.inspect(host.id().substring(0, 12), null)).isEqualTo(host);
        assertThatThrownBy(() -> service.inspect("nosuchnet", null)).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(e.getMessage()).isEqualTo("network nosuchnet not found");
        });
        assertThat(service.inspect("host", "local")).isEqualTo(host);
        assertThatThrownBy(() -> service.inspect("host", "swarm")).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.getMessage()).isEqualTo("network host not found"));
        assertThatThrownBy(() -> service.inspect("", null)).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }
}
