package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of a network's {@code IPAM.Config}; absent parts are left out, as dockerd does. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record NetworkIpamConfig(
        @JsonProperty("Subnet") String subnet,
        @JsonProperty("IPRange") String ipRange,
        @JsonProperty("Gateway") String gateway) {
}
