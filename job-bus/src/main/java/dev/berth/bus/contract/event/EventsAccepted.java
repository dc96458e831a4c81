package dev.berth.bus.contract.event;

/**
 * What {@code events.read} is accepted with: the node whose journal answers, and the sequence
 * number the next live event there will carry.
 */
public record EventsAccepted(String node, long nextSequence) {
}
