package dev.berth.api.websocket;

import dev.berth.api.stream.DockerFraming;
import dev.berth.bus.stream.StreamRecords;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's log as WebSocket text messages, one per line:
 * {@code {"stream":"stdout","time":"2026-…Z","line":"text"}}, without the newline. A line longer
 * than one record arrives as several messages; all but the last say {@code "partial":true}.
 * {@code time} is left out when the client asked for no timestamps.
 */
final class LogLineMessages {
    private static final String[] STREAMS = {"stdin", "stdout", "stderr"};

    private final boolean timestamps;

    LogLineMessages(boolean timestamps) {
        this.timestamps = timestamps;
    }

    List<WebSocketFrame> frames(Buffer chunk) {
        List<WebSocketFrame> frames = new ArrayList<>();
        StreamRecords.forEach(chunk, record -> {
            Buffer payload = record.payload();
            boolean partial = payload.length() == 0 || payload.getByte(payload.length() - 1) != '\n';
            int end = partial ? payload.length() : payload.length() - 1;
            if (!partial && end > 0 && payload.getByte(end - 1) == '\r') {
                end--;
            }
            JsonObject message = new JsonObject().put("stream", STREAMS[Math.max(0, Math.min(2, record.stream()))]);
            if (timestamps && record.timeNanos() > 0) {
                message.put("time", DockerFraming.timestamp(record.timeNanos()));
            }
            message.put("line", payload.getString(0, end, StandardCharsets.UTF_8.name()));
            if (partial) {
                message.put("partial", true);
            }
            frames.add(WebSocketFrame.textFrame(message.encode(), true));
        });
        return frames;
    }
}
