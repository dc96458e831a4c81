package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A network's {@code ConfigFrom}: the config-only network it was made from, "" for none. */
public record NetworkConfigReference(@JsonProperty("Network") String network) {
}
