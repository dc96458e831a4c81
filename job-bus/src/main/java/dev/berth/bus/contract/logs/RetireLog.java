package dev.berth.bus.contract.logs;

/** A container's log whose files are about to be deleted with the container: {@code logPath} is its live file. */
public record RetireLog(String containerId, String logPath) {
}
