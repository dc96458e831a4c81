package dev.berth.net.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.network.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One record per container and network, and the records of before, named by the container alone. */
class EndpointStoreTest {
    private static final String WEB = "a".repeat(64);
    private static final String DB = "b".repeat(64);

    private static StoredEndpoint endpoint(String container, String network, String inside) {
        Endpoint endpoint = new Endpoint(network, "net-" + network, "e".repeat(64), "10.0.0.2", 24, "10.0.0.1", "02:42:0a:00:00:02",
                List.of(), List.of(), List.of("alias"));
        return new StoredEndpoint(container, "web", "/run/netns/" + container, "vb" + container.substring(0, 12), endpoint,
                List.of("alias"), inside);
    }

    @Test
    void aContainerHasOneRecordPerNetwork(@TempDir Path dir) throws Exception {
        EndpointStore store = new EndpointStore(dir);
        store.save(endpoint(WEB, "n1", "eth0"));
        store.save(endpoint(WEB, "n2", "eth1"));
        store.save(endpoint(DB, "n1", "eth0"));
        assertThat(store.ofContainer(WEB)).extracting(StoredEndpoint::insideName).containsExactlyInAnyOrder("eth0", "eth1");
        assertThat(store.find(WEB, "n2")).get().extracting(StoredEndpoint::insideName).isEqualTo("eth1");
        assertThat(store.all()).hasSize(3);

        store.delete(endpoint(WEB, "n1", "eth0"));
        assertThat(store.ofContainer(WEB)).extracting(e -> e.endpoint().networkId()).containsExactly("n2");
        assertThat(store.ofContainer(DB)).hasSize(1);
    }

    @Test
    void aRecordFromBeforeIsReadAsEth0AndDeletedWithItsEndpoint(@TempDir Path dir) throws Exception {
        StoredEndpoint old = endpoint(WEB, "n1", null);
        Files.writeString(dir.resolve(WEB + ".json"), JobCodec.encodeToString(old).replace(",\"insideName\":\"eth0\"", ""));
        assertThat(Files.readString(dir.resolve(WEB + ".json"))).doesNotContain("insideName");
        EndpointStore store = new EndpointStore(dir);
        assertThat(store.ofContainer(WEB)).singleElement().extracting(StoredEndpoint::insideName).isEqualTo("eth0");
        store.delete(old);
        assertThat(store.all()).isEmpty();
    }
}
