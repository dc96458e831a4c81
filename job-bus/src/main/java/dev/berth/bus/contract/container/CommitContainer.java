package dev.berth.bus.contract.container;

import java.util.List;

/**
 * Arguments of {@code container.commit}: {@code docker commit} as one job of the exec worker,
 * which pauses the container (when {@code pause} and it runs), has the graph worker copy its
 * changes into a new image, and unpauses it whatever the outcome.
 *
 * @param changes Dockerfile instructions applied to the image's config ({@code -c})
 * @param repo and tag name the image; repo null or empty leaves it untagged
 */
public record CommitContainer(String ref, boolean pause, List<String> changes, String comment, String author, String repo,
        String tag) {
    public CommitContainer {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }
}
