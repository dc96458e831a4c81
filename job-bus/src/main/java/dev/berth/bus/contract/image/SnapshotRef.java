package dev.berth.bus.contract.image;

/** Arguments of snapshot.mount, unmount and remove: the container id the snapshot was prepared for. */
public record SnapshotRef(String id) {
}
