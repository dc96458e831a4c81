package dev.berth.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.bus.EngineException;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.network.CreateNetwork;
import dev.berth.bus.contract.network.IpamConfig;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Docker's POST /networks/create body. Swarm's fields (Ingress, Scope "swarm", ConfigOnly,
 * ConfigFrom) and IPAM parts Berth does not act on are refused by name, never dropped.
 */
record NetworkCreateBody(@JsonProperty("Name") String name, @JsonProperty("Driver") String driver,
        @JsonProperty("Internal") Boolean internal, @JsonProperty("Attachable") Boolean attachable,
        @JsonProperty("Ingress") Boolean ingress, @JsonProperty("EnableIPv6") Boolean enableIpv6,
        @JsonProperty("EnableIPv4") Boolean enableIpv4, @JsonProperty("Scope") String scope,
        @JsonProperty("ConfigOnly") Boolean configOnly, @JsonProperty("ConfigFrom") Map<String, Object> configFrom,
        @JsonProperty("IPAM") Ipam ipam, @JsonProperty("Options") Map<String, String> options,
        @JsonProperty("Labels") Map<String, String> labels) {

    record Ipam(@JsonProperty("Driver") String driver, @JsonProperty("Config") List<Pool> config,
            @JsonProperty("Options") Map<String, String> options) {
    }

    record Pool(@JsonProperty("Subnet") String subnet, @JsonProperty("IPRange") String ipRange,
            @JsonProperty("Gateway") String gateway, @JsonProperty("AuxiliaryAddresses") Map<String, String> auxiliaryAddresses) {
    }

    static CreateNetwork parse(JsonObject body) {
        NetworkCreateBody parsed = JobCodec.decode(body, NetworkCreateBody.class);
        if (Boolean.TRUE.equals(parsed.ingress()) || Boolean.TRUE.equals(parsed.configOnly())
                || parsed.configFrom() != null && !parsed.configFrom().isEmpty() || "swarm".equals(parsed.scope())) {
            throw EngineException.invalid("berth does not support swarm networks (ingress, config-only, config-from, scope swarm)");
        }
        if (Boolean.FALSE.equals(parsed.enableIpv4())) {
            throw EngineException.invalid("berth does not support networks without IPv4 (EnableIPv4 false)");
        }
        List<IpamConfig> pools = List.of();
        String ipamDriver = null;
        if (parsed.ipam() != null) {
            ipamDriver = parsed.ipam().driver();
            if (parsed.ipam().options() != null && !parsed.ipam().options().isEmpty()) {
                throw EngineException.invalid("berth does not support IPAM options (--ipam-opt) yet");
            }
            if (parsed.ipam().config() != null) {
                pools = parsed.ipam().config().stream().map(pool -> {
                    if (pool.auxiliaryAddresses() != null && !pool.auxiliaryAddresses().isEmpty()) {
                        throw EngineException.invalid("berth does not support auxiliary addresses (--aux-address) yet");
                    }
                    return new IpamConfig(pool.subnet(), pool.gateway(), pool.ipRange());
                }).toList();
            }
        }
        return new CreateNetwork(parsed.name(), parsed.driver(), Boolean.TRUE.equals(parsed.internal()),
                Boolean.TRUE.equals(parsed.attachable()), Boolean.TRUE.equals(parsed.enableIpv6()), ipamDriver, pools,
                parsed.options(), parsed.labels());
    }
}
