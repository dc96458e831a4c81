package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** A network's {@code IPAM}: dockerd writes {@code "Options": null} and, without addresses, {@code "Config": null}. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record NetworkIpam(
        @JsonProperty("Driver") String driver,
        @JsonProperty("Options") Map<String, String> options,
        @JsonProperty("Config") List<NetworkIpamConfig> config) {
}
