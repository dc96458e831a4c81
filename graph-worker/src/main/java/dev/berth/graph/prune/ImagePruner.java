package dev.berth.graph.prune;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.image.ImageUsage;
import dev.berth.bus.contract.image.ImageView;
import dev.berth.bus.contract.image.PruneImages;
import dev.berth.bus.contract.image.PrunedImages;
import dev.berth.bus.contract.image.RemovedImages;
import dev.berth.graph.layer.LayerStore;
import dev.berth.graph.content.Digest;
import dev.berth.graph.image.ImageRecord;
import dev.berth.graph.image.ImageService;
import dev.berth.graph.image.ImageStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code docker image prune}: removes untagged images, or with {@code -a} (dangling=false) every
 * image no container uses, starting from the images nothing was made from (dockerd's heads), each as {@code rmi} would, under the images' mutation lock so that a
 * container created meanwhile keeps its image. The space reclaimed is what the layer store lost.
 */
public final class ImagePruner {
    private final ImageService images;
    private final LayerStore layers;
    private final ImageStore store;

    public ImagePruner(ImageService images, ImageStore store, LayerStore layers) {
        this.images = images;
        this.layers = layers;
        this.store = store;
    }

    public PrunedImages prune(PruneImages request) throws IOException {
        boolean danglingOnly = danglingOnly(request.filters());
        List<RemovedImages.Item> items = new ArrayList<>();
        long before;
        long after;
        synchronized (images.mutationLock()) {
            before = layerBytes();
            boolean removed = true;
            while (removed) { // removing a child can make its parent a head: go again until nothing changes
                removed = false;
                java.util.Set<Digest> withChildren = store.parents();
                for (ImageView image : images.list(true, Map.of())) {
                    if (image.containers() > 0 || (danglingOnly && !image.repoTags().isEmpty())
                            || withChildren.contains(Digest.parse(image.id()))) {
                        continue;
                    }
                    try {
                        items.addAll(images.remove(image.id(), true, true));
                        removed = true;
                    } catch (EngineException e) {
                        if (e.kind() != ErrorKind.NOT_FOUND) {
                            throw e; // NOT_FOUND: removed with an image removed before it
                        }
                    }
                }
            }
            after = layerBytes();
        }
        long reclaimed = Math.max(0, before - after);
        images.events().pruned(reclaimed);
        return new PrunedImages(items, reclaimed);
    }

    /** What {@code docker system df} shows of images: layer bytes counted once, and each image's shared bytes. */
    public ImageUsage usage() throws IOException {
        Map<String, List<LayerStore.Layer>> stacks = new HashMap<>();
        Map<Digest, Integer> users = new HashMap<>();
        for (ImageRecord image : store.all()) {
            List<LayerStore.Layer> stack = image.topChain() == null ? List.of() : layers.stack(image.topChain());
            stacks.put(image.id().toString(), stack);
            stack.forEach(layer -> users.merge(layer.chainId(), 1, Integer::sum));
        }
        Map<String, Long> shared = new HashMap<>();
        stacks.forEach((id, stack) -> shared.put(id, stack.stream()
                .filter(layer -> users.get(layer.chainId()) > 1).mapToLong(LayerStore.Layer::size).sum()));
        return new ImageUsage(layerBytes(), shared);
    }

    /** The bytes of every stored layer, each counted once however many images share it. */
    public long layerBytes() throws IOException {
        return layers.all().values().stream().mapToLong(LayerStore.Layer::size).sum();
    }

    /** dangling=true (or absent) prunes untagged images only; other filters are refused, not ignored. */
    static boolean danglingOnly(Map<String, List<String>> filters) {
        for (String key : filters.keySet()) {
            if (!key.equals("dangling")) {
                throw EngineException.invalid("invalid filter '" + key + "': berth prunes images by dangling only");
            }
        }
        List<String> dangling = filters.getOrDefault("dangling", List.of("true"));
        if (dangling.size() != 1) {
            throw EngineException.invalid("invalid filter 'dangling': give one value");
        }
        return switch (dangling.get(0).toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw EngineException.invalid("invalid filter 'dangling=" + dangling.get(0) + "'");
        };
    }
}
