package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A container attached to a network, an entry of the network's {@code Containers}. */
public record NetworkEndpointResource(
        @JsonProperty("Name") String name,
        @JsonProperty("EndpointID") String endpointId,
        @JsonProperty("MacAddress") String macAddress,
        @JsonProperty("IPv4Address") String ipv4Address,
        @JsonProperty("IPv6Address") String ipv6Address) {
}
