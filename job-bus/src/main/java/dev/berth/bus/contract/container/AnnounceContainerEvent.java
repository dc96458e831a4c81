package dev.berth.bus.contract.container;

import java.util.Map;

/**
 * container.announce: something happened to a container that another worker did while the
 * gateway drove it (a commit, an export); the exec worker publishes the event with the
 * attributes every container event carries (labels, name, image) and {@code extra}.
 */
public record AnnounceContainerEvent(String ref, String action, Map<String, String> extra) {
}
