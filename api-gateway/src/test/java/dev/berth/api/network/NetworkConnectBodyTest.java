package dev.berth.api.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.container.ConnectContainer;
import dev.berth.bus.contract.container.DisconnectContainer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bodies the docker CLI sends for network connect and disconnect. */
class NetworkConnectBodyTest {
    @Test
    void aliasesAndTheAddressAreTakenAsTheCliSendsThem() {
        JsonObject body = new JsonObject("{\"Container\":\"web\",\"EndpointConfig\":{\"IPAMConfig\":{\"IPv4Address\":\"10.5.0.9\"},"
                + "\"Links\":null,\"Aliases\":[\"www\",\"site\"],\"DriverOpts\":{}}}");
        assertThat(NetworkConnectBody.connect("front", body))
                .isEqualTo(new ConnectContainer("web", "front", List.of("www", "site"), "10.5.0.9"));
        assertThat(NetworkConnectBody.connect("front", new JsonObject().put("Container", "web")))
                .isEqualTo(new ConnectContainer("web", "front", List.of(), null));
        assertThat(NetworkConnectBody.disconnect("front", new JsonObject("{\"Container\":\"web\",\"Force\":true}")))
                .isEqualTo(new DisconnectContainer("web", "front", true));
    }

    @Test
    void whatBerthDoesNotActOnIsRefusedByName() {
        String[][] refused = {
            {"{\"Links\":[\"db:db\"]}", "--link"},
            {"{\"IPAMConfig\":{\"IPv6Address\":\"fd00::9\"}}", "--ip6/--link-local-ip"},
            {"{\"IPAMConfig\":{\"LinkLocalIPs\":[\"169.254.1.1\"]}}", "--ip6/--link-local-ip"},
            {"{\"DriverOpts\":{\"a\":\"b\"}}", "--driver-opt"},
            {"{\"GwPriority\":5}", "--gw-priority"},
            {"{\"MacAddress\":\"02:42:00:00:00:01\"}", "MacAddress"},
        };
        for (String[] each : refused) {
            JsonObject body = new JsonObject().put("Container", "web").put("EndpointConfig", new JsonObject(each[0]));
            assertThatThrownBy(() -> NetworkConnectBody.connect("front", body)).as(each[0])
                    .isInstanceOf(EngineException.class).hasMessage("berth does not support " + each[1] + " on docker network connect yet");
        }
        assertThatThrownBy(() -> NetworkConnectBody.connect("front", new JsonObject())).hasMessage("no container specified");
        assertThatThrownBy(() -> NetworkConnectBody.disconnect("front", new JsonObject())).hasMessage("no container specified");
    }
}
