package dev.berth.net.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.host.NetworkNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which namespace each network mode gets; namespaces themselves are recorded by a fake. */
class SandboxServiceTest {
    private static final String ID = "0123456789abcdef".repeat(4);

    @TempDir
    Path dir;

    private final List<String> calls = new ArrayList<>();

    private SandboxService service() {
        return new SandboxService(dir, new NetworkNamespaces() {
            @Override
            public void create(Path path) throws java.io.IOException {
                calls.add("create " + dir.relativize(path));
                Files.createFile(path);
            }

            @Override
            public void delete(Path path) throws java.io.IOException {
                calls.add("delete " + dir.relativize(path));
                Files.deleteIfExists(path);
            }
        });
    }

    @Test
    void bridgeNoneAndDefaultGetAPinnedNamespaceOfTheirOwn() throws Exception {
        SandboxService service = service();
        for (String mode : new String[] {null, "", "default", "bridge", "none"}) {
            assertThat(service.create(ID, mode)).as(String.valueOf(mode)).contains(dir.resolve(ID));
        }
        assertThat(calls).startsWith("create " + ID, "delete " + ID, "create " + ID);
        service.remove(ID);
        assertThat(dir.resolve(ID)).doesNotExist();
    }

    @Test
    void hostSharesTheHostsNamespace() throws Exception {
        assertThat(service().create(ID, "host")).isEmpty();
        assertThat(calls).isEmpty();
    }

    @Test
    void anUnknownNetworkIsNotFoundAndBadIdsAreRefused() {
        assertThatThrownBy(() -> service().create(ID, "nosuchnet")).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(e.getMessage()).isEqualTo("network nosuchnet not found");
        });
        for (String id : new String[] {null, "", "../etc", ID.toUpperCase()}) {
            assertThatThrownBy(() -> service().create(id, "none")).as(String.valueOf(id)).isInstanceOfSatisfying(EngineException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        }
        assertThatThrownBy(() -> service().remove(null)).isInstanceOf(EngineException.class);
        assertThat(calls).isEmpty();
    }
}
