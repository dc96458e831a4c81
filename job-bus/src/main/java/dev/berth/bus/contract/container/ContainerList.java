package dev.berth.bus.contract.container;

import java.util.List;

/** The reply to container.list, newest first. */
public record ContainerList(List<ContainerView> containers) {
    public ContainerList {
        containers = containers == null ? List.of() : containers;
    }
}
