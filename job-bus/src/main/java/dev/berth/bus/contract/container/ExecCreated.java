package dev.berth.bus.contract.container;

/** The reply to exec.create: the new exec instance's id. */
public record ExecCreated(String id) {
}
