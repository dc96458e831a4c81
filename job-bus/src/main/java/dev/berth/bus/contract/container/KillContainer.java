package dev.berth.bus.contract.container;

/** container.kill: signal by name or number (null: SIGKILL). */
public record KillContainer(String ref, String signal) {
}
