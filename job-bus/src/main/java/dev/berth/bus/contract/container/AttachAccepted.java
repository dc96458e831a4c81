package dev.berth.bus.contract.container;

/** The header of an accepted container.attach: how the gateway frames the output and treats stdin. */
public record AttachAccepted(boolean tty, boolean openStdin, boolean stdinOnce) {
}
