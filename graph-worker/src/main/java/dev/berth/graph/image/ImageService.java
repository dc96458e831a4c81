package dev.berth.graph.image;

import dev.berth.bus.Timestamps;
import dev.berth.bus.EngineException;
import dev.berth.bus.contract.image.ImageStoreSummary;
import dev.berth.bus.contract.image.ImageView;
import dev.berth.bus.contract.image.RemovedImages;
import dev.berth.graph.content.Digest;
import dev.berth.graph.gc.GarbageCollector;
import dev.berth.graph.layer.LayerStore;
import dev.berth.graph.reference.Reference;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Inspect, list, tag and remove images, with Docker's rules and messages. */
public final class ImageService {
    private static final Set<String> LIST_FILTERS = Set.of("dangling", "label", "before", "since", "reference", "until");

    private final ImageStore images;
    private final LayerStore layers;
    private final GarbageCollector collector;
    private final ImageLeases leases;
    private final ImageEvents events;
    /** Tags and removals change several rows that must agree; one at a time. */
    private final Object mutations = new Object();

    /** storageDriver: the name docker shows (overlay2 or vfs), whose layout inspect and info describe. */
    private final String storageDriver;

    public ImageService(ImageStore images, LayerStore layers, GarbageCollector collector, ImageLeases leases, ImageEvents events,
            String storageDriver) {
        this.storageDriver = storageDriver;
        this.images = images;
        this.layers = layers;
        this.collector = collector;
        this.leases = leases;
        this.events = events;
    }

    /** Reports what another part of the graph did to an image (a commit, an import, a prune). */
    public ImageEvents events() {
        return events;
    }

    public Object mutationLock() {
        return mutations;
    }

    public ImageView inspect(String ref) throws IOException {
        return view(images.resolve(ref));
    }

    private ImageView view(ImageRecord record) throws IOException {
        return ImageViews.view(record, images.config(record.id()), images.references(record.id()),
                layers.stack(record.topChain()), layers, storageDriver, leases.count(record.id()), images.parent(record.id()));
    }

    // ---- list -----------------------------------------------------------------------------

    /** Filters are {key: [values]} as the gateway normalises them. */
    public List<ImageView> list(boolean all, Map<String, List<String>> filters) throws IOException {
        for (String key : filters.keySet()) {
            if (!LIST_FILTERS.contains(key)) {
                throw EngineException.invalid("invalid filter '" + key + "'");
            }
        }
        boolean danglingOnly = bool(filters, "dangling");
        Instant before = null;
        for (String value : filters.getOrDefault("before", List.of())) {
            Instant created = images.config(images.resolve(value).id()).created();
            if (created != null && (before == null || before.isAfter(created))) {
                before = created;
            }
        }
        for (String value : filters.getOrDefault("until", List.of())) {
            Instant until = Timestamps.parse(value, Instant.now());
            if (before == null || before.isAfter(until)) {
                before = until;
            }
        }
        Instant since = null;
        for (String value : filters.getOrDefault("since", List.of())) {
            Instant created = images.config(images.resolve(value).id()).created();
            if (created != null && (since == null || since.isBefore(created))) {
                since = created;
            }
        }
        List<String> labelFilters = filters.getOrDefault("label", List.of());
        List<String> patterns = filters.getOrDefault("reference", List.of());
        Map<Digest, List<String>> references = images.allReferences();
        Set<Digest> withChildren = images.parents();
        List<ImageView> selected = new ArrayList<>();
        for (ImageRecord record : images.all()) {
            if (danglingOnly && withChildren.contains(record.id())) {
                continue; // dockerd looks for dangling images among the heads only
            }
            ImageConfig config = images.config(record.id());
            Instant created = config.created();
            if (before != null && (created == null || !created.isBefore(before))) {
                continue;
            }
            if (since != null && (created == null || !created.isAfter(since))) {
                continue;
            }
            if (!labelFilters.isEmpty() && !matchesLabels(config.labels(), labelFilters)) {
                continue;
            }
            List<String> refs = references.getOrDefault(record.id(), List.of());
            List<String> shown = new ArrayList<>();
            for (String ref : refs) {
                if (patterns.isEmpty() || matchesReference(ref, patterns)) {
                    shown.add(ref);
                }
            }
            boolean hasTags = shown.stream().anyMatch(r -> !ImageStore.isDigestReference(r));
            if (shown.isEmpty()) {
                if (!all && withChildren.contains(record.id())) {
                    continue; // an intermediate image (a build step's, a commit's parent): shown with -a
                }
                if (filters.containsKey("dangling") && !danglingOnly) {
                    continue;
                }
                if (!patterns.isEmpty()) {
                    continue;
                }
                if (!refs.isEmpty() && danglingOnly) {
                    continue;
                }
            } else if (danglingOnly && hasTags) {
                continue;
            }
            selected.add(ImageViews.view(record, config, shown, List.of(), layers, storageDriver, leases.count(record.id()),
                    images.parent(record.id())));
        }
        selected.sort(Comparator.comparingLong(ImageView::createdUnix).reversed());
        return selected;
    }

    /** dockerd's boolean filter: 1/true or 0/false, never both; anything else names the filter and its values. */
    private static boolean bool(Map<String, List<String>> filters, String key) {
        List<String> values = filters.get(key);
        if (values == null) {
            return false;
        }
        boolean isTrue = values.contains("true") || values.contains("1");
        boolean isFalse = values.contains("false") || values.contains("0");
        if (isTrue == isFalse) {
            throw EngineException.invalid("invalid filter '" + key + "=[" + String.join(" ", values) + "]'");
        }
        return isTrue;
    }

    private static boolean matchesLabels(Map<String, String> labels, List<String> wanted) {
        for (String filter : wanted) {
            int eq = filter.indexOf('=');
            if (eq < 0) {
                if (!labels.containsKey(filter)) {
                    return false;
                }
            } else if (!filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)))) {
                return false;
            }
        }
        return true;
    }

    /** dockerd's FamiliarMatch: the pattern against the familiar reference, then its familiar name alone. */
    private static boolean matchesReference(String familiar, List<String> patterns) {
        Reference ref = Reference.parse(familiar);
        List<String> targets = List.of(ref.familiarString(), ref.familiarName());
        for (String pattern : patterns) {
            for (String target : targets) {
                if (Glob.matches(pattern, target)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- tag ------------------------------------------------------------------------------

    /** Tags the image; returns the tag in familiar form (busybox:1). */
    public String tag(String source, String repo, String tag) throws IOException {
        if (repo == null || repo.isEmpty()) {
            throw EngineException.invalid("repository name must have at least one component");
        }
        Reference named = Reference.parse(repo);
        if (named.isDigested()) {
            throw EngineException.invalid("cannot import digest reference");
        }
        Reference tagged = tag == null || tag.isEmpty() ? named.withDefaultTag() : named.withTag(tag);
        if (tagged.familiarName().equals(Digest.ALGORITHM)) {
            throw EngineException.invalid("refusing to create an ambiguous tag using digest algorithm as name");
        }
        synchronized (mutations) {
            ImageRecord image = images.resolve(source);
            images.setReference(tagged, image.id(), true);
            events.publish("tag", image.id(), tagged.familiarString());
        }
        return tagged.familiarString();
    }

    // ---- remove ---------------------------------------------------------------------------

    /** Docker's image delete: what it untagged and deleted, in order. */
    public List<RemovedImages.Item> remove(String ref, boolean force, boolean prune) throws IOException {
        synchronized (mutations) {
            List<RemovedImages.Item> records = new ArrayList<>();
            ImageRecord image = images.resolve(ref);
            Digest id = image.id();
            List<String> refs = images.references(id);
            boolean quiet = false;
            if (!ImageStore.isIdReference(id, ref)) {
                List<ImageLeases.Lease> holders = leases.holders(id);
                if (!force && isSingleReference(refs) && !holders.isEmpty()) {
                    throw EngineException.conflict("conflict: unable to remove repository reference \"" + ref
                            + "\" (must force) - container " + shortId(holders.get(0).containerId())
                            + " is using its referenced image " + id.shortId());
                }
                Reference parsed = Reference.parse(ref).withDefaultTag();
                untag(parsed, id, records);
                refs = images.references(id);
                if (!parsed.isDigested()) {
                    boolean tagLeftInRepo = false;
                    for (String other : refs) {
                        Reference r = Reference.parse(other);
                        if (!r.isDigested() && r.name().equals(parsed.name())) {
                            tagLeftInRepo = true;
                        }
                    }
                    if (!tagLeftInRepo) {
                        for (String other : refs) {
                            Reference r = Reference.parse(other);
                            if (r.isDigested() && r.name().equals(parsed.name())) {
                                untag(r, id, records);
                            }
                        }
                        refs = images.references(id);
                    }
                }
                if (!refs.isEmpty()) {
                    return records;
                }
                quiet = true;
            } else if (isSingleReference(refs)) {
                Conflict conflict = conflict(id, !force, false);
                if (conflict != null) {
                    throw conflict.exception(id);
                }
                for (String other : refs) {
                    untag(Reference.parse(other), id, records);
                }
            }
            delete(id, records, force, prune, quiet);
            return records;
        }
    }

    private void untag(Reference ref, Digest id, List<RemovedImages.Item> records) throws IOException {
        images.removeReference(ref);
        events.publish("untag", id, ref.familiarString());
        records.add(RemovedImages.Item.untagged(ref.familiarString()));
    }

    /**
     * dockerd's imageDeleteHelper: deletes id unless a conflict stops it (quietly when it was only
     * untagged and is still in use or named), then, with prune, its parent when that is now an
     * unused, untagged image with no other child, and so on up the chain.
     */
    private void delete(Digest id, List<RemovedImages.Item> records, boolean force, boolean prune, boolean quiet)
            throws IOException {
        Conflict conflict = conflict(id, !force, !force);
        if (conflict != null) {
            if (quiet && (!isDangling(id) || conflict.used)) {
                return;
            }
            throw conflict.exception(id);
        }
        java.util.Optional<Digest> parent = images.parentId(id);
        for (String other : images.references(id)) {
            untag(Reference.parse(other), id, records);
        }
        images.delete(id);
        events.publish("delete", id, id.toString());
        records.add(RemovedImages.Item.deleted(id.toString()));
        for (Digest layer : collector.collect()) {
            records.add(RemovedImages.Item.deleted(layer.toString()));
        }
        if (prune && parent.isPresent()) {
            delete(parent.get(), records, false, true, true);
        }
    }

    /** dockerd's "dangling" for removal: no reference names it and no image was made from it. */
    private boolean isDangling(Digest id) throws IOException {
        return images.references(id).isEmpty() && images.children(id).isEmpty();
    }

    private record Conflict(boolean hard, boolean used, String message) {
        EngineException exception(Digest id) {
            return EngineException.conflict("conflict: unable to delete " + id.shortId() + " ("
                    + (hard ? "cannot be forced" : "must be forced") + ") - " + message);
        }
    }

    /**
     * dockerd's conflict checks, in its order: dependent child images and running containers
     * (hard: never forced), then other references and stopped containers (soft).
     */
    private Conflict conflict(Digest id, boolean stopped, boolean activeReference) throws IOException {
        if (!images.children(id).isEmpty()) {
            return new Conflict(true, false, "image has dependent child images");
        }
        List<ImageLeases.Lease> holders = leases.holders(id);
        for (ImageLeases.Lease lease : holders) {
            if (lease.running()) {
                return new Conflict(true, true, "image is being used by running container " + shortId(lease.containerId()));
            }
        }
        if (activeReference && !images.references(id).isEmpty()) {
            return new Conflict(false, false, "image is referenced in multiple repositories");
        }
        if (stopped) {
            for (ImageLeases.Lease lease : holders) {
                if (!lease.running()) {
                    return new Conflict(false, true, "image is being used by stopped container " + shortId(lease.containerId()));
                }
            }
        }
        return null;
    }

    /** True when the references are one tag plus digests of the same repository. */
    static boolean isSingleReference(List<String> refs) {
        if (refs.size() <= 1) {
            return refs.size() == 1;
        }
        Reference single = null;
        Set<String> digestRepos = new HashSet<>();
        for (String text : refs) {
            Reference ref = Reference.parse(text);
            if (ref.isDigested()) {
                digestRepos.add(ref.name());
            } else if (single == null) {
                single = ref;
            } else {
                return false;
            }
        }
        if (single == null) {
            single = Reference.parse(refs.get(0));
        }
        return digestRepos.size() == 1 && digestRepos.contains(single.name());
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    // ---- summary --------------------------------------------------------------------------

    /** What docker info says of the store; dockerd's vfs reports no driver status at all. */
    public ImageStoreSummary summary(String backingFilesystem) throws IOException {
        if (!storageDriver.equals("overlay2")) {
            return new ImageStoreSummary(images.count(), storageDriver, List.of(), backingFilesystem);
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Backing Filesystem", backingFilesystem);
        facts.put("Supports d_type", "true");
        facts.put("Using metacopy", "false");
        facts.put("Native Overlay Diff", "true");
        facts.put("userxattr", "false");
        List<List<String>> status = new ArrayList<>();
        facts.forEach((k, v) -> status.add(List.of(k, v)));
        return new ImageStoreSummary(images.count(), storageDriver, status, backingFilesystem);
    }
}
