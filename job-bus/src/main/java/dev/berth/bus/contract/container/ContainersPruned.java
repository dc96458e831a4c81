package dev.berth.bus.contract.container;

import java.util.List;

/** The ids container.prune removed, and the bytes their writable layers held (0 while sizes are not computed). */
public record ContainersPruned(List<String> containersDeleted, long spaceReclaimed) {
}
