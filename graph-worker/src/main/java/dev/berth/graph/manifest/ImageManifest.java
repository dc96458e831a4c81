package dev.berth.graph.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** One image: Docker's v2 schema 2 manifest or an OCI image manifest (the same fields). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageManifest(int schemaVersion, String mediaType, Descriptor config, List<Descriptor> layers,
        Map<String, String> annotations) implements ManifestDocument {
    public ImageManifest {
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    /** A Docker v2 schema 2 manifest, which is what Berth pushes. */
    public static ImageManifest docker(Descriptor config, List<Descriptor> layers) {
        return new ImageManifest(2, MediaTypes.DOCKER_MANIFEST, config, layers, null);
    }
}
