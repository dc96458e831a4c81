package dev.berth.bus.stream;

import io.vertx.core.buffer.Buffer;

/**
 * What a transport gives one side of a stream: a way to send encoded frames to the peer. The
 * transport hands the frames that arrive for this side to {@link FramedJobStream#receive}, in the
 * order they were sent, on the stream's context.
 */
public interface FrameLink {
    /** Sends one encoded frame to the peer; called in sequence order, from any thread. */
    void send(Buffer frame);

    /** Stops delivering frames to this side; called once, on the stream's context. */
    void close();
}
