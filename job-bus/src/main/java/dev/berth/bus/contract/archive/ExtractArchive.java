package dev.berth.bus.contract.archive;

/**
 * Arguments of {@code container.archive.put}: the tar (in the stream) is extracted below path,
 * which must be a directory in the container.
 *
 * @param noOverwriteDirNonDir refuse to replace a directory by a non-directory or the reverse
 * @param copyUidGid every file owned by the container's user rather than by the tar's owners (cp -a)
 */
public record ExtractArchive(String ref, String path, boolean noOverwriteDirNonDir, boolean copyUidGid) {
}
