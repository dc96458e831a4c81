package dev.berth.bus.contract.image;

import dev.berth.bus.contract.container.ContainerConfig;
import java.util.List;

/**
 * Arguments of {@code image.commit}: a new image from a container's snapshot.
 *
 * @param container the container (and snapshot) id
 * @param config the container's config, which becomes the image's before the changes apply
 * @param changes Dockerfile instructions (CMD, ENV, WORKDIR, ENTRYPOINT, EXPOSE, LABEL, USER,
 *     VOLUME, STOPSIGNAL, ONBUILD) applied to the config
 * @param mountPoints paths the runtime mounts over, left out of the layer (see
 *     {@link ContainerChangesRequest})
 * @param repo and tag name the image; repo null or empty leaves it untagged
 */
public record CommitImage(String container, ContainerConfig config, List<String> changes, String comment, String author,
        String repo, String tag, List<String> mountPoints) {
    public CommitImage {
        changes = changes == null ? List.of() : List.copyOf(changes);
        mountPoints = mountPoints == null ? List.of() : List.copyOf(mountPoints);
    }
}
