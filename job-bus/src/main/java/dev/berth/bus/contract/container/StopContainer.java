package dev.berth.bus.contract.container;

/** container.stop: timeout in seconds (null: the container's StopTimeout, else 10; negative: wait for ever), signal (null: its StopSignal). */
public record StopContainer(String ref, Integer timeout, String signal) {
}
