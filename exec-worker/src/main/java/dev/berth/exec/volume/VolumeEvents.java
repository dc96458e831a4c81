package dev.berth.exec.volume;

import java.util.Map;

/** Where the volume service reports `docker events` of type volume: create, mount, unmount, destroy, prune. */
@FunctionalInterface
public interface VolumeEvents {
    /** @param volume the volume's name, dockerd's actor ID; "" for a prune */
    void publish(String action, String volume, Map<String, String> attributes);

    VolumeEvents NONE = (action, volume, attributes) -> {
    };
}
