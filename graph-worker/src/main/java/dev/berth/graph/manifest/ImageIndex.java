package dev.berth.graph.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Several manifests, one per platform: Docker's manifest list or an OCI index. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageIndex(int schemaVersion, String mediaType, List<Descriptor> manifests, Map<String, String> annotations)
        implements ManifestDocument {
    public ImageIndex {
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
    }
}
