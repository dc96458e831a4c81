package dev.berth.graph.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.bus.EngineException;
import dev.berth.graph.content.Digest;
import java.util.List;
import java.util.Map;

/** A content descriptor: what a manifest says about a blob or a manifest it refers to. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Descriptor(String mediaType, String digest, long size, List<String> urls, Map<String, String> annotations,
        Platform platform) {
    /** Marks the attestation entries (provenance, SBOM) BuildKit puts beside images in an index. */
    private static final String REFERENCE_TYPE = "vnd.docker.reference.type";

    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest.toString(), size, null, null, null);
    }

    /** The digest, parsed; INVALID_ARGUMENT for one that is not a sha256 digest. */
    public Digest parsedDigest() {
        if (digest == null || !Digest.isDigest(digest)) {
            throw EngineException.invalid("invalid manifest: descriptor digest \"" + digest + "\" is not a sha256 digest");
        }
        return Digest.parse(digest);
    }

    public boolean isAttestation() {
        return annotations != null && annotations.containsKey(REFERENCE_TYPE);
    }
}
