package dev.berth.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.bus.EngineException;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.container.ConnectContainer;
import dev.berth.bus.contract.container.DisconnectContainer;
import dev.berth.bus.contract.container.NetworkingConfig.EndpointSettings;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Map;

/**
 * Docker's POST /networks/{id}/connect and /disconnect bodies. Of the endpoint config Berth acts
 * on --alias and --ip; the rest (--link, --ip6, --link-local-ip, --driver-opt, --gw-priority, a
 * MAC) is refused by name, never dropped.
 */
final class NetworkConnectBody {
    private NetworkConnectBody() {
    }

    record Connect(@JsonProperty("Container") String container, @JsonProperty("EndpointConfig") EndpointSettings endpointConfig) {
    }

    record Disconnect(@JsonProperty("Container") String container, @JsonProperty("Force") Boolean force) {
    }

    static ConnectContainer connect(String network, JsonObject body) {
        Connect parsed = JobCodec.decode(body, Connect.class);
        requireContainer(parsed.container());
        EndpointSettings endpoint = parsed.endpointConfig();
        if (endpoint == null) {
            return new ConnectContainer(parsed.container(), network, null, null);
        }
        refuseIf(nonEmpty(endpoint.links()), "--link");
        refuseIf(endpoint.ipamConfig() != null && (nonEmpty(endpoint.ipamConfig().ipv6Address())
                || nonEmpty(endpoint.ipamConfig().linkLocalIps())), "--ip6/--link-local-ip");
        refuseIf(nonEmpty(endpoint.driverOpts()), "--driver-opt");
        refuseIf(endpoint.gwPriority() != null && endpoint.gwPriority() != 0, "--gw-priority");
        refuseIf(nonEmpty(endpoint.macAddress()), "MacAddress");
        return new ConnectContainer(parsed.container(), network, endpoint.aliases(),
                endpoint.ipamConfig() == null ? null : endpoint.ipamConfig().ipv4Address());
    }

    static DisconnectContainer disconnect(String network, JsonObject body) {
        Disconnect parsed = JobCodec.decode(body, Disconnect.class);
        requireContainer(parsed.container());
        return new DisconnectContainer(parsed.container(), network, Boolean.TRUE.equals(parsed.force()));
    }

    private static void requireContainer(String container) {
        if (container == null || container.isEmpty()) {
            throw EngineException.invalid("no container specified");
        }
    }

    private static void refuseIf(boolean asked, String option) {
        if (asked) {
            throw EngineException.invalid("berth does not support " + option + " on docker network connect yet");
        }
    }

    private static boolean nonEmpty(String value) {
        return value != null && !value.isEmpty();
    }

    private static boolean nonEmpty(Collection<?> value) {
        return value != null && !value.isEmpty();
    }

    private static boolean nonEmpty(Map<?, ?> value) {
        return value != null && !value.isEmpty();
    }
}
