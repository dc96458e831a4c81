package dev.berth.bus.contract.image;

import java.util.List;

/** Reply of {@code image.list}: newest first; views carry no layer sizes or driver data. */
public record ImageList(List<ImageView> images) {
    public ImageList {
        images = images == null ? List.of() : List.copyOf(images);
    }
}
