package dev.berth.log.follow;

import dev.berth.bus.stream.BlockingStreams;
import dev.berth.bus.stream.StreamRecords;
import dev.berth.log.file.K8sLogFormat;
import dev.berth.log.file.RecordSink;
import io.vertx.core.buffer.Buffer;

/**
 * Turns records into what the caller asked for: keeps the chosen streams and the lines inside the
 * time window, gives every piece of a line the time of the line's first record, and packs the
 * pieces into {@link StreamRecords} chunks of at most 64 KiB, a line longer than that spread
 * over several records. A line is judged once, by its first record, and kept or dropped whole.
 */
final class LogChunker implements RecordSink {
    static final int CHUNK = BlockingStreams.CHUNK;
    private static final int RECORD_HEADER = StreamRecords.HEADER;

    private final LogQuery query;
    private final ChunkSink sink;
    private final boolean[] lineOpen = new boolean[3];
    private final boolean[] keepLine = new boolean[3];
    private final long[] lineTime = new long[3];
    /** The chunk being filled, record by record, straight into bytes: one copy per line. */
    private final byte[] batch = new byte[CHUNK];
    private int batched;
    private boolean pastUntil;

    LogChunker(LogQuery query, ChunkSink sink) {
        this.query = query;
        this.sink = sink;
    }

    @Override
    public boolean accept(K8sLogFormat.Header header, boolean first, boolean last, byte[] data, int offset, int length) {
        int stream = header.stream();
        if (first && !lineOpen[stream]) {
            long time = header.timeNanos();
            lineTime[stream] = time;
            keepLine[stream] = query.wants(stream) && query.inWindow(time);
            if (query.afterUntil(time)) {
                pastUntil = true;
            }
        }
        if (last) {
            lineOpen[stream] = header.partial();
        } else {
            lineOpen[stream] = true;
        }
        boolean wrote = false;
        if (keepLine[stream]) {
            wrote = append(stream, lineTime[stream], data, offset, length);
        }
        return !pastUntil && !(wrote && sink.full());
    }

    /** Adds one piece; true when a chunk went out meanwhile. */
    private boolean append(int stream, long time, byte[] data, int offset, int length) {
        boolean wrote = false;
        while (length > 0) {
            int room = CHUNK - batched - RECORD_HEADER;
            if (room <= 0) {
                flush();
                wrote = true;
                continue;
            }
            int n = Math.min(room, length);
            batched = StreamRecords.put(batch, batched, stream, time, data, offset, n);
            offset += n;
            length -= n;
        }
        return wrote;
    }

    /** Sends what is batched. */
    void flush() {
        if (batched > 0) {
            sink.write(Buffer.buffer(batched).appendBytes(batch, 0, batched));
            batched = 0;
        }
    }

    /** A line later than {@code until} was seen: nothing after it can be wanted. */
    boolean pastUntil() {
        return pastUntil;
    }
}
