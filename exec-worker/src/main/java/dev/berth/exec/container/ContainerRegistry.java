package dev.berth.exec.container;

import dev.berth.bus.EngineException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The containers this worker knows, by id and by name, and Docker's rules for finding one. */
public final class ContainerRegistry {
    private final ConcurrentHashMap<String, Container> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> idByName = new ConcurrentHashMap<>();

    /** Claims a name for an id; a taken name is Docker's 409 conflict. */
    public void reserveName(String name, String id) {
        String holder = idByName.putIfAbsent(name, id);
        if (holder != null && !holder.equals(id)) {
            throw EngineException.conflict("Conflict. The container name \"/" + name + "\" is already in use by container \""
                    + holder + "\". You have to remove (or rename) that container to be able to reuse that name.");
        }
    }

    public void releaseName(String name, String id) {
        idByName.remove(name, id);
    }

    public void add(Container container) {
        reserveName(container.name(), container.id());
        byId.put(container.id(), container);
    }

    public void remove(Container container) {
        byId.remove(container.id());
        idByName.remove(container.name(), container.id());
    }

    /** Gives a container a new name: the new one is claimed first (409 if taken), then the old one freed. */
    public void rename(Container container, String newName) {
        String old = container.name();
        reserveName(newName, container.id());
        container.rename(newName);
        idByName.remove(old, container.id());
    }

    public boolean nameTaken(String name) {
        return idByName.containsKey(name);
    }

    public Collection<Container> all() {
        return byId.values();
    }

    /** Full id, then exact name (with or without its slash), then a unique id prefix. */
    public Container resolve(String ref) {
        Container found = find(ref);
        if (found == null) {
            throw EngineException.notFound("No such container: " + ref);
        }
        return found;
    }

    public Container find(String ref) {
        if (ref == null || ref.isEmpty()) {
            return null;
        }
        Container exact = byId.get(ref);
        if (exact != null) {
            return exact;
        }
        String name = ref.startsWith("/") ? ref.substring(1) : ref;
        String id = idByName.get(name);
        if (id != null && byId.containsKey(id)) {
            return byId.get(id);
        }
        if (!ref.matches("[0-9a-f]+")) {
            return null;
        }
        List<Container> matches = new ArrayList<>();
        for (Container container : byId.values()) {
            if (container.id().startsWith(ref)) {
                matches.add(container);
            }
        }
        if (matches.size() > 1) {
            throw EngineException.invalid("multiple IDs found with provided prefix: " + ref);
        }
        return matches.isEmpty() ? null : matches.get(0);
    }
}
