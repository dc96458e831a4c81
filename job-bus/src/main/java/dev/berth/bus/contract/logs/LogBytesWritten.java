package dev.berth.bus.contract.logs;

/** Bytes conmon has written to this node's container log files since its log worker started. */
public record LogBytesWritten(long bytes) {
}
