package dev.berth.bus.contract.container;

/** The header of an accepted exec.start: how the gateway frames the output and whether stdin is read. */
public record ExecAccepted(boolean tty, boolean stdin) {
}
