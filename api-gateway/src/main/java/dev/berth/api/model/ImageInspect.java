package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /images/{name}/json}, Docker's image inspect. Fields that dockerd leaves out for an
 * API version (VirtualSize from 1.44, Container and ContainerConfig from 1.45) or when empty
 * (Variant, OsVersion) are null here; Config is written even when null, as dockerd writes it.
 */
public record ImageInspect(
        @JsonProperty("Id") String id,
        @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("RepoDigests") List<String> repoDigests,
        @JsonProperty("Parent") String parent,
        @JsonProperty("Comment") String comment,
        @JsonProperty("Created") String created,
        @JsonProperty("DockerVersion") String dockerVersion,
        @JsonProperty("Author") String author,
        @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("Config") JsonNode config,
        @JsonProperty("Architecture") String architecture,
        @JsonProperty("Variant") String variant,
        @JsonProperty("Os") String os,
        @JsonProperty("OsVersion") String osVersion,
        @JsonProperty("Size") long size,
        @JsonProperty("VirtualSize") Long virtualSize,
        @JsonProperty("Container") String container,
        @JsonProperty("ContainerConfig") JsonNode containerConfig,
        @JsonProperty("GraphDriver") GraphDriver graphDriver,
        @JsonProperty("RootFS") RootFs rootFs,
        @JsonProperty("Metadata") Metadata metadata) {

    /** Data is null for drivers that describe no directories (vfs), as dockerd shows it. */
    public record GraphDriver(@JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("Data") Map<String, String> data,
            @JsonProperty("Name") String name) {
    }

    public record RootFs(@JsonProperty("Type") String type, @JsonProperty("Layers") List<String> layers) {
    }

    public record Metadata(@JsonProperty("LastTagTime") String lastTagTime) {
    }
}
