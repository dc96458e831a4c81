package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One item of {@code GET /images/{name}/history}; Tags is null on every item but the newest, as dockerd writes it. */
public record ImageHistoryItem(
        @JsonProperty("Comment") String comment,
        @JsonProperty("Created") long created,
        @JsonProperty("CreatedBy") String createdBy,
        @JsonProperty("Id") String id,
        @JsonProperty("Size") long size,
        @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("Tags") List<String> tags) {
}
