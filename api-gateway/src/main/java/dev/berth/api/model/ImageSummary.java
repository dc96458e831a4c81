package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One item of {@code GET /images/json}, Docker's ImageSummary. VirtualSize is null (left out)
 * from API 1.44 on, as dockerd leaves it out.
 */
public record ImageSummary(
        @JsonProperty("Containers") long containers,
        @JsonProperty("Created") long created,
        @JsonProperty("Id") String id,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("ParentId") String parentId,
        @JsonProperty("RepoDigests") List<String> repoDigests,
        @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("SharedSize") long sharedSize,
        @JsonProperty("Size") long size,
        @JsonProperty("VirtualSize") Long virtualSize) {
}
