package dev.berth.bus.contract.container;

/** container.top: the container's processes as `ps` shows them; psArgs null or "" for "-ef". */
public record TopContainer(String ref, String psArgs) {
}
