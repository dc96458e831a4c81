package dev.berth.bus.contract.volume;

import java.util.Map;

/**
 * A volume as the exec worker shows it; the gateway renders Docker's Volume JSON from it.
 *
 * @param createdAt RFC 3339, to the second, as dockerd writes it
 * @param mountpoint the directory on the volume's node that containers see
 * @param labels as created; null when none were given
 * @param options the local driver's options (type, device, o); null when none were given
 * @param usedBy the ids of the containers that mount it, stopped ones too
 */
public record VolumeView(String name, String driver, String mountpoint, String createdAt, Map<String, String> labels,
        Map<String, String> options, String scope, java.util.List<String> usedBy) {
}
