package dev.berth.bus.contract.logs;

/**
 * Arguments of {@code logs.read}: which container ({@code ref}: id, short id or name), which of
 * its streams, whether to follow it past its current end, and which part of it.
 *
 * @param tail the last lines to send; null or negative: every line
 * @param since only lines written at or after this time, in unix nanoseconds; null or 0: unset
 * @param until only lines written at or before this time, in unix nanoseconds; null or 0: unset
 */
public record ReadLogs(String ref, boolean stdout, boolean stderr, boolean follow, Integer tail, Long since, Long until) {
}
