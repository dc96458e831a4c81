package dev.berth.bus.contract.container;

import java.util.List;

/** The reply to container.top: ps's column titles and one row per process of the container. */
public record ProcessTable(List<String> titles, List<List<String>> processes) {
}
