package dev.berth.net.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.container.HostConfig;
import dev.berth.bus.contract.network.ConnectEndpoint;
import dev.berth.bus.contract.network.DisconnectEndpoint;
import dev.berth.bus.contract.network.Endpoint;
import dev.berth.bus.contract.network.Sandbox;
import dev.berth.bus.contract.network.SandboxRequest;
import dev.berth.host.NetworkNamespaces;
import dev.berth.net.ports.PortSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which namespace and endpoints each network mode gets; namespaces and attachments are recorded by fakes. */
class SandboxServiceTest {
    private static final String ID = "0123456789abcdef".repeat(4);
    private static final Endpoint ENDPOINT = new Endpoint("n".repeat(64), "bridge", "e".repeat(64), "10.199.0.2", 20,
            "10.199.0.1", "02:42:0a:c7:00:02", List.of(), List.of());

    @TempDir
    Path dir;

    private final List<String> calls = new ArrayList<>();
    private boolean attachFails;

    private SandboxService service() {
        return new SandboxService(dir, new NetworkNamespaces() {
            @Override
            public void create(Path path) throws IOException {
                calls.add("create " + dir.relativize(path));
                Files.createFile(path);
            }

            @Override
            public void delete(Path path) throws IOException {
                calls.add("delete " + dir.relativize(path));
                Files.deleteIfExists(path);
            }

            @Override
            public dev.berth.host.HeldNamespace createHeld() {
                throw new UnsupportedOperationException("the pool's spares are made by its own maker");
            }
        }, new NetworkAttachments() {
            @Override
            public String resolve(String network) {
                if (!network.equals("mynet")) {
                    throw EngineException.notFound("network " + network + " not found");
                }
                return "mynet-id";
            }

            @Override
            public Endpoint attach(String containerId, String name, Path netns, String network, List<PortSpec> ports,
                    EndpointRequest options, SpareSandbox spare) throws IOException {
                calls.add("attach " + dir.relativize(netns) + " " + network + (ports.isEmpty() ? "" : " " + ports));
                if (attachFails) {
                    throw new IOException("ip failed: RTNETLINK answers: File exists");
                }
                return ENDPOINT;
            }

            @Override
            public void detach(String containerId) {
                calls.add("detach " + containerId);
            }

            @Override
            public void detach(String containerId, String networkId) {
                calls.add("detach " + containerId + " " + networkId);
            }
        });
    }

    @Test
    void theDefaultBridgeGetsANamespaceWithAnEndpointOnIt() throws Exception {
        SandboxService service = service();
        for (String mode : new String[] {null, "", "default", "bridge"}) {
            Sandbox sandbox = service.create(ID, mode);
            assertThat(sandbox.netnsPath()).as(String.valueOf(mode)).isEqualTo(dir.resolve(ID).toString());
            assertThat(sandbox.endpoints()).containsExactly(ENDPOINT);
        }
        // A second create replaces the first sandbox: the old namespace and endpoint go first.
        assertThat(calls).startsWith("detach " + ID, "create " + ID, "attach " + ID + " bridge", "delete " + ID, "detach " + ID,
                "create " + ID);
        calls.clear();
        service.remove(ID);
        assertThat(calls).containsExactly("delete " + ID, "detach " + ID);
        assertThat(dir.resolve(ID)).doesNotExist();
    }

    @Test
    void noneHasANamespaceWithoutEndpoints() throws Exception {
        Sandbox sandbox = service().create(ID, "none");
        assertThat(sandbox.netnsPath()).isEqualTo(dir.resolve(ID).toString());
        assertThat(sandbox.endpoints()).isEmpty();
        assertThat(calls).noneMatch(call -> call.startsWith("attach"));
    }

    @Test
    void aFailedAttachLeavesNoNamespace() {
        attachFails = true;
        assertThatThrownBy(() -> service().create(ID, "bridge")).isInstanceOf(IOException.class).hasMessageContaining("File exists");
        assertThat(dir.resolve(ID)).doesNotExist();
        assertThat(calls).endsWith("attach " + ID + " bridge", "delete " + ID);
    }

    @Test
    void portsReachTheBridgeParsedAndABadOneIsRefusedBeforeAnythingIsMade() throws Exception {
        Map<String, List<HostConfig.PortBinding>> bindings = Map.of("80/tcp", List.of(new HostConfig.PortBinding("", "8080")));
        service().create(new SandboxRequest(ID, "web", "bridge", bindings, false, List.of(), List.of(), null, null));
        assertThat(calls).contains("attach " + ID + " bridge [PortSpec[protocol=tcp, containerPort=80, hostIp=0.0.0.0, hostPortLow=8080, hostPortHigh=8080]]");
        calls.clear();
        Map<String, List<HostConfig.PortBinding>> bad = Map.of("80/tcp", List.of(new HostConfig.PortBinding("", "99999")));
        assertThatThrownBy(() -> service().create(new SandboxRequest(ID, "web", "bridge", bad, false, List.of(), List.of(), null, null)))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        assertThat(calls).isEmpty();
    }

    @Test
    void aUserNetworkIsAttachedByItsId() throws Exception {
        Sandbox sandbox = service().create(new SandboxRequest(ID, "web", "mynet", Map.of(), false, List.of(), List.of("www"), "10.1.2.9", null));
        assertThat(sandbox.endpoints()).containsExactly(ENDPOINT);
        assertThat(calls).contains("attach " + ID + " mynet-id");
    }

    @Test
    void hostSharesTheHostsNamespace() throws Exception {
        Sandbox sandbox = service().create(ID, "host");
        assertThat(sandbox.netnsPath()).isNull();
        assertThat(sandbox.endpoints()).isEmpty();
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

    @Test
    void connectAddsAnEndpointToTheContainersOwnNamespaceOnly() throws Exception {
        SandboxService service = service();
        String foreign = dir.resolve("elsewhere").toString();
        assertThatThrownBy(() -> service.connect(new ConnectEndpoint(ID, "web", dir.resolve(ID).toString(), "mynet", List.of(), null)))
                .as("no sandbox yet").isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        service.create(ID, "none");
        calls.clear();
        assertThatThrownBy(() -> service.connect(new ConnectEndpoint(ID, "web", foreign, "mynet", List.of(), null)))
                .as("another namespace").isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        assertThatThrownBy(() -> service.connect(new ConnectEndpoint(ID, "web", dir.resolve(ID).toString(), "nosuchnet", List.of(), null)))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(calls).isEmpty();

        assertThat(service.connect(new ConnectEndpoint(ID, "web", dir.resolve(ID).toString(), "mynet", List.of("www"), null)))
                .isEqualTo(ENDPOINT);
        service.disconnect(new DisconnectEndpoint(ID, "mynet-id"));
        assertThat(calls).containsExactly("attach " + ID + " mynet-id", "detach " + ID + " mynet-id");
    }
}
