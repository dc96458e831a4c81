package dev.berth.api.stream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Takes over the connection of an attach or exec-start call, the way dockerd does. With
 * "Upgrade: tcp" the client gets 101 and a raw two-way socket. Without it (docker-java without
 * stdin) the client gets a 200 whose body is the output and ends when the stream ends.
 */
public final class Hijack {
    public static final String RAW_STREAM = "application/vnd.docker.raw-stream";
    public static final String MULTIPLEXED_STREAM = "application/vnd.docker.multiplexed-stream";

    private Hijack() {
    }

    public static boolean wantsUpgrade(HttpServerRequest request) {
        String connection = request.getHeader("Connection");
        return request.getHeader("Upgrade") != null && connection != null && connection.toLowerCase().contains("upgrade");
    }

    public static Future<HijackedStream> take(HttpServerRequest request, String contentType) {
        HttpServerResponse response = request.response();
        response.putHeader("Content-Type", contentType);
        if (!wantsUpgrade(request)) {
            response.setStatusCode(200).setChunked(true);
            response.writeHead();
            return Future.succeededFuture(new ResponseStream(response));
        }
        response.putHeader("Connection", "Upgrade").putHeader("Upgrade", "tcp");
        // The CLI half-closes right after the 101 when it sends no stdin; by default Netty
        // would close the whole connection on that, so allow half-closure before answering.
        Channel channel = ((ConnectionBase) request.connection()).channel();
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        // Vert.x upgrades only GET requests; Docker's hijack is a POST. So detach the HTTP codec
        // from the connection ourselves and write the 101 head as raw bytes.
        StringBuilder head = new StringBuilder("HTTP/1.1 101 UPGRADED\r\n");
        response.headers().forEach(header -> head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n"));
        head.append("\r\n");
        return ((Http1xServerConnection) request.connection()).netSocket().map(socket -> {
            socket.write(Buffer.buffer(head.toString()));
            return new SocketStream((NetSocketInternal) socket, channel);
        });
    }

    /** The upgraded connection. */
    private static final class SocketStream implements HijackedStream {
        private final NetSocketInternal socket;
        private final Channel channel;
        private Handler<Void> inputEnd;
        private boolean inputEnded;

        SocketStream(NetSocketInternal socket, Channel channel) {
            this.socket = socket;
            this.channel = channel;
            socket.eventHandler(event -> {
                if (event instanceof ChannelInputShutdownEvent) {
                    endInput();
                }
            });
        }

        private void endInput() {
            if (!inputEnded) {
                inputEnded = true;
                if (inputEnd != null) {
                    inputEnd.handle(null);
                }
            }
        }

        @Override
        public boolean hasInput() {
            return true;
        }

        @Override
        public HijackedStream inputHandler(Handler<Buffer> handler) {
            socket.handler(handler);
            return this;
        }

        @Override
        public HijackedStream inputEndHandler(Handler<Void> handler) {
            this.inputEnd = handler;
            if (channel instanceof DuplexChannel && ((DuplexChannel) channel).isInputShutdown()) {
                endInput();
            }
            return this;
        }

        @Override
        public HijackedStream closeHandler(Handler<Void> handler) {
            socket.closeHandler(handler);
            return this;
        }

        @Override
        public void pauseInput() {
            socket.pause();
        }

        @Override
        public void resumeInput() {
            socket.resume();
        }

        @Override
        public Future<Void> close() {
            return socket.end();
        }

        @Override
        public HijackedStream exceptionHandler(Handler<Throwable> handler) {
            socket.exceptionHandler(handler);
            return this;
        }

        @Override
        public Future<Void> write(Buffer data) {
            return socket.write(data);
        }

        @Override
        public Future<Void> end() {
            return close();
        }

        @Override
        public HijackedStream setWriteQueueMaxSize(int maxSize) {
            socket.setWriteQueueMaxSize(maxSize);
            return this;
        }

        @Override
        public boolean writeQueueFull() {
            return socket.writeQueueFull();
        }

        @Override
        public HijackedStream drainHandler(Handler<Void> handler) {
            socket.drainHandler(handler);
            return this;
        }
    }

    /** A plain chunked response: output only. */
    private static final class ResponseStream implements HijackedStream {
        private final HttpServerResponse response;

        ResponseStream(HttpServerResponse response) {
            this.response = response;
        }

        @Override
        public boolean hasInput() {
            return false;
        }

        @Override
        public HijackedStream inputHandler(Handler<Buffer> handler) {
            return this;
        }

        @Override
        public HijackedStream inputEndHandler(Handler<Void> handler) {
            if (handler != null) {
                handler.handle(null);
            }
            return this;
        }

        @Override
        public HijackedStream closeHandler(Handler<Void> handler) {
            response.closeHandler(handler);
            return this;
        }

        @Override
        public void pauseInput() {
        }

        @Override
        public void resumeInput() {
        }

        @Override
        public Future<Void> close() {
            return response.ended() ? Future.succeededFuture() : response.end();
        }

        @Override
        public HijackedStream exceptionHandler(Handler<Throwable> handler) {
            response.exceptionHandler(handler);
            return this;
        }

        @Override
        public Future<Void> write(Buffer data) {
            return response.write(data);
        }

        @Override
        public Future<Void> end() {
            return close();
        }

        @Override
        public HijackedStream setWriteQueueMaxSize(int maxSize) {
            response.setWriteQueueMaxSize(maxSize);
            return this;
        }

        @Override
        public boolean writeQueueFull() {
            return response.writeQueueFull();
        }

        @Override
        public HijackedStream drainHandler(Handler<Void> handler) {
            response.drainHandler(handler);
            return this;
        }
    }
}
