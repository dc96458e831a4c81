package dev.berth.bus.contract.event;

import dev.berth.bus.JobCodec;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Events as they travel in an {@code events.read} stream: each one the codec's JSON of an
 * {@link Event} followed by a newline, several to a chunk, never one split across chunks.
 */
public final class EventLines {
    private EventLines() {
    }

    public static Buffer append(Buffer chunk, Event event) {
        return chunk.appendBuffer(JobCodec.encodeToBuffer(event)).appendByte((byte) '\n');
    }

    public static void forEach(Buffer chunk, Consumer<Event> action) {
        int start = 0;
        for (int i = 0; i < chunk.length(); i++) {
            if (chunk.getByte(i) == '\n') {
                action.accept(JobCodec.decode(chunk.slice(start, i), Event.class));
                start = i + 1;
            }
        }
        if (start != chunk.length()) {
            throw new IllegalArgumentException("an events chunk ends inside an event");
        }
    }
}
