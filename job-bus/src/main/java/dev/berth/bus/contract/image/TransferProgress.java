package dev.berth.bus.contract.image;

/**
 * One chunk of a pull's or push's progress, as the graph worker sends it; the gateway draws
 * Docker's progress messages from it.
 *
 * @param id what the line is about: a layer's short digest, a tag, or null for a plain status
 * @param status "Downloading", "Pull complete", "Digest: sha256:…" …
 * @param current bytes done, with total; both 0 when the status has no bar
 * @param pushed the pushed manifest, on the last line of a push only
 */
public record TransferProgress(String id, String status, long current, long total, PushedManifest pushed) {
    public static TransferProgress status(String id, String status) {
        return new TransferProgress(id, status, 0, 0, null);
    }

    public static TransferProgress bar(String id, String status, long current, long total) {
        return new TransferProgress(id, status, current, total, null);
    }

    /** What Docker sends as the push's "aux" message, after the digest line. */
    public record PushedManifest(String tag, String digest, long size) {
    }
}
