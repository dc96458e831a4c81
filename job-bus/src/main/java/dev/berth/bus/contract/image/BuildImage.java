package dev.berth.bus.contract.image;

import java.util.List;
import java.util.Map;

/**
 * Arguments of {@code image.build}: the context tar flows caller to worker; {@link BuildProgress}
 * chunks flow back.
 *
 * @param dockerfile the Dockerfile's path inside the context
 * @param tags names (repo[:tag]) given to the result
 * @param buildArgs values for the Dockerfile's ARGs
 * @param labels added to the result's config
 * @param quiet only the new image's id is reported
 * @param noCache every step runs, none is taken from the build cache
 * @param target the stage to stop after, or null for the last
 * @param registryAuths the client's credentials by registry address (X-Registry-Config), for the
 *     pulls of this build only; never stored
 */
public record BuildImage(String dockerfile, List<String> tags, Map<String, String> buildArgs, Map<String, String> labels,
        boolean quiet, boolean noCache, String target, Map<String, RegistryAuth> registryAuths) {
    public BuildImage {
        dockerfile = dockerfile == null || dockerfile.isEmpty() ? "Dockerfile" : dockerfile;
        tags = tags == null ? List.of() : List.copyOf(tags);
        buildArgs = buildArgs == null ? Map.of() : Map.copyOf(buildArgs);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        target = target == null || target.isEmpty() ? null : target;
        registryAuths = registryAuths == null ? Map.of() : Map.copyOf(registryAuths);
    }
}
