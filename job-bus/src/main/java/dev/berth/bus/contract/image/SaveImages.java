package dev.berth.bus.contract.image;

import java.util.List;

/** Arguments of {@code image.save}: what to save, each as a user typed it; the worker streams a tar. */
public record SaveImages(List<String> refs) {
    public SaveImages {
        refs = refs == null ? List.of() : List.copyOf(refs);
    }
}
