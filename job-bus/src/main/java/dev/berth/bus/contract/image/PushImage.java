package dev.berth.bus.contract.image;

/**
 * Arguments of {@code image.push}.
 *
 * @param image the image's name as the client gave it (localhost:5000/x)
 * @param tag the tag to push, or null/empty for every tag of the repository
 * @param auth the client's credentials for this push, or null
 */
public record PushImage(String image, String tag, RegistryAuth auth) {
}
