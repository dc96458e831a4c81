package dev.berth.bus.contract.container;

import java.util.List;

/**
 * exec.start: runs an exec instance once. Detached, the job is accepted once the process runs
 * and its stream ends at once; attached, it is accepted first and the stream carries the output
 * as StreamRecords, the caller's chunks being stdin.
 *
 * @param consoleSize [height, width] of the terminal, or null
 */
public record StartExec(String id, boolean detach, boolean tty, List<Integer> consoleSize) {
}
