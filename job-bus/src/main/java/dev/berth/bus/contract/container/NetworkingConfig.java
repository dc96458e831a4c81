package dev.berth.bus.contract.container;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/** Docker's NetworkingConfig of a create: the endpoint settings per network, with Docker's names. */
@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
public record NetworkingConfig(Map<String, EndpointSettings> endpointsConfig) {

    /** One network's endpoint as a client asks for it; the network worker fills the rest. */
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record EndpointSettings(
            @JsonProperty("IPAMConfig") IpamConfig ipamConfig,
            List<String> links,
            List<String> aliases,
            String macAddress,
            Map<String, String> driverOpts,
            Integer gwPriority,
            @JsonProperty("NetworkID") String networkId,
            @JsonProperty("EndpointID") String endpointId,
            String gateway,
            @JsonProperty("IPAddress") String ipAddress,
            @JsonProperty("IPPrefixLen") Integer ipPrefixLen,
            @JsonProperty("IPv6Gateway") String ipv6Gateway,
            @JsonProperty("GlobalIPv6Address") String globalIpv6Address,
            @JsonProperty("GlobalIPv6PrefixLen") Integer globalIpv6PrefixLen,
            @JsonProperty("DNSNames") List<String> dnsNames) {
    }

    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record IpamConfig(@JsonProperty("IPv4Address") String ipv4Address, @JsonProperty("IPv6Address") String ipv6Address,
            @JsonProperty("LinkLocalIPs") List<String> linkLocalIps) {
    }

    public Map<String, EndpointSettings> endpoints() {
        return endpointsConfig == null ? Map.of() : endpointsConfig;
    }
}
