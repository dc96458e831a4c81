package dev.berth.bus.contract.container;

/** container.remove: force kills a running container first; volumes removes its anonymous volumes. */
public record RemoveContainer(String ref, boolean force, boolean volumes) {
}
