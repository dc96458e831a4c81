package dev.berth.log.follow;

import io.vertx.core.buffer.Buffer;

/** Where a {@link LogReader} puts its chunks of {@code StreamRecords}; called on the reading thread. */
interface ChunkSink {
    void write(Buffer chunk);

    /** True while the reader should stop and wait: the peer's window is full, or it went away. */
    boolean full();
}
