package dev.berth.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on 127.0.0.1 in front of a real registry that plays a network path going silent:
 * on each connection it passes the first {@code budget} bytes of the registry's answers, then
 * holds the connection open without passing more. Requests always go through.
 */
final class StallingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile long budget;

    private StallingProxy(InetSocketAddress target, long budget) throws IOException {
        this.target = target;
        this.budget = budget;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "stalling-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A relay to host:port passing {@code budget} answer bytes per connection. */
    static StallingProxy to(String hostAndPort, long budget) throws IOException {
        int colon = hostAndPort.lastIndexOf(':');
        return new StallingProxy(new InetSocketAddress(hostAndPort.substring(0, colon),
                Integer.parseInt(hostAndPort.substring(colon + 1))), budget);
    }

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Answer bytes passed on each new connection from now on; Long.MAX_VALUE for a healthy path. */
    void budget(long bytes) {
        budget = bytes;
    }

    int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                sockets.add(client);
                sockets.add(upstream);
                connections.incrementAndGet();
                start("stalling-proxy-up", () -> pump(client.getInputStream(), upstream.getOutputStream(), Long.MAX_VALUE));
                long allowance = budget;
                start("stalling-proxy-down", () -> pump(upstream.getInputStream(), client.getOutputStream(), allowance));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void start(String name, IoTask task) {
        Thread thread = new Thread(() -> {
            try {
                task.run();
            } catch (IOException | InterruptedException e) {
                // a side closed: the relay of this connection ends
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Copies until the allowance is spent, then stays silent until the connection is closed. */
    private void pump(InputStream from, OutputStream to, long allowance) throws IOException, InterruptedException {
        byte[] buffer = new byte[8192];
        long left = allowance;
        int n;
        while (left > 0 && (n = from.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
            to.write(buffer, 0, n);
            to.flush();
            left -= n;
        }
        if (left == 0) {
            while (!server.isClosed() && from.read() >= 0) {
                // the path is silent: what the registry sends is dropped, the connection kept
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    @FunctionalInterface
    private interface IoTask {
        void run() throws IOException, InterruptedException;
    }
}
