package dev.berth.bus.contract.archive;

/** Arguments of {@code container.archive.stat} and {@code .get}: a container and a path inside it, as the client wrote it. */
public record ArchivePath(String ref, String path) {
}
