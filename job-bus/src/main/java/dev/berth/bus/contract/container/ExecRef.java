package dev.berth.bus.contract.container;

/** Names one exec instance by its id. */
public record ExecRef(String id) {
}
