package dev.berth.bus.contract.image;

import java.util.List;

/**
 * Arguments of {@code image.import}: the stream carries a tar (plain or compressed) that becomes
 * the one layer of a new image; the worker answers with a {@link CommittedImage} when done.
 *
 * @param source what the client named as the source ("-" for the request body), for the history
 * @param changes Dockerfile instructions applied to the empty config, as for commit
 * @param message the history comment; empty means "Imported from {source}"
 * @param repo and tag name the image; repo null or empty leaves it untagged
 */
public record ImportImage(String source, List<String> changes, String message, String repo, String tag) {
    public ImportImage {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }
}
