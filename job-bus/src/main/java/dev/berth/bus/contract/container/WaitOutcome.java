package dev.berth.bus.contract.container;

/** The one chunk of a container.wait stream: the exit code, and why a start failed, if it did. */
public record WaitOutcome(int statusCode, String error) {
}
