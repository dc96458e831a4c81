package dev.berth.bus.contract.volume;

import java.util.List;

/** Reply of {@code volume.list}: the volumes that pass the filters. */
public record VolumeList(List<VolumeView> volumes) {
    public VolumeList {
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }
}
