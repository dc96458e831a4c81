package dev.berth.bus.contract.container;

/** container.unlink ({@code docker rm --link parent/alias}): the linking container and the link's alias. */
public record UnlinkContainer(String parentRef, String alias) {
}
