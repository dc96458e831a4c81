package dev.berth.bus.contract.container;

import java.util.List;

/** The reply to container.create. */
public record ContainerCreated(String id, List<String> warnings) {
    public ContainerCreated {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
