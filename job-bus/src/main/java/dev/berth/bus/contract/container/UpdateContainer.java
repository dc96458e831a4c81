package dev.berth.bus.contract.container;

/**
 * container.update (`docker update`): Docker's update body is Resources and RestartPolicy, whose
 * fields carry HostConfig's names, so it travels as a HostConfig. A zero or empty field leaves
 * the container's value as it is, as with dockerd.
 */
public record UpdateContainer(String ref, HostConfig changes) {
}
