package dev.berth.bus.contract.container;

/** container.wait: condition not-running (null), next-exit or removed. */
public record WaitContainer(String ref, String condition) {
}
