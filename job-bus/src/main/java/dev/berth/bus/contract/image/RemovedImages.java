package dev.berth.bus.contract.image;

import java.util.List;

/** Reply of {@code image.remove}: what it untagged and deleted, in order. */
public record RemovedImages(List<Item> items) {
    public RemovedImages {
        items = items == null ? List.of() : List.copyOf(items);
    }

    /** One step: either a reference untagged (familiar form) or an image or layer deleted (by id). */
    public record Item(String untagged, String deleted) {
        public static Item untagged(String reference) {
            return new Item(reference, null);
        }

        public static Item deleted(String id) {
            return new Item(null, id);
        }
    }
}
