package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One item of {@code DELETE /images/{name}}: either Untagged or Deleted is set. */
public record ImageDeleteItem(@JsonProperty("Untagged") String untagged, @JsonProperty("Deleted") String deleted) {
}
