package dev.berth.graph.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One entry of a docker-archive's manifest.json: the config's and layers' paths in the archive,
 * and the tags. An untagged image's RepoTags is null, as Docker writes it.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ArchiveManifestEntry(@JsonProperty("Config") String config, @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("Layers") List<String> layers) {
    public ArchiveManifestEntry {
        repoTags = repoTags == null || repoTags.isEmpty() ? null : List.copyOf(repoTags);
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    /** The tags; empty for an untagged image. */
    public List<String> tags() {
        return repoTags == null ? List.of() : repoTags;
    }
}
