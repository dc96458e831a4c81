package dev.berth.bus.contract.image;

/**
 * Arguments of {@code image.pull}.
 *
 * @param image the repository, as the client normalised it (docker.io/library/busybox)
 * @param tag a tag, a digest ("sha256:…"), or null/empty for every tag ({@code docker pull -a})
 * @param platform os[/arch[/variant]], or null for linux and the host's architecture
 * @param auth the client's credentials for this pull, or null
 */
public record PullImage(String image, String tag, String platform, RegistryAuth auth) {
}
