package dev.berth.exec.volume;

import java.util.Map;

/**
 * A volume's row in the volume store, as JSON written by the JobCodec.
 *
 * @param labels as given at create; null when none were given (a volume made on first use)
 * @param options the local driver's options: type, device and o, as `mount -t type -o o device` takes them
 */
public record VolumeRecord(String name, String driver, String createdAt, Map<String, String> labels,
        Map<String, String> options) {
    /** The label dockerd puts on the volumes it makes for a container, which prune removes by default. */
    public static final String ANONYMOUS_LABEL = "com.docker.volume.anonymous";

    public boolean anonymous() {
        return labels != null && labels.containsKey(ANONYMOUS_LABEL);
    }

    /** Whether the data directory is a mount of the volume's own device (type/device/o options). */
    public boolean mountsDevice() {
        return options != null && options.containsKey("type");
    }
}
