package dev.berth.net.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS server of one user-defined network, on its gateway's address, port 53: containers'
 * names (and short ids) on that network answer with their addresses; any other question is
 * relayed to the host's resolvers, as dockerd's embedded server does. It runs on threads of
 * its own (blocking sockets), never on an event loop.
 */
public final class EmbeddedDns implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDns.class);
    private static final int MAX_PACKET = 4096;
    private static final int UPSTREAM_TIMEOUT_MS = 2000;

    private final DatagramChannel channel;
    private final BiFunction<String, String, Optional<String>> names;
    private final List<InetSocketAddress> upstreams;
    private final ExecutorService relays;
    private final Thread receiver;
    private volatile boolean closed;

    private EmbeddedDns(DatagramChannel channel, BiFunction<String, String, Optional<String>> names, List<InetSocketAddress> upstreams,
            String label) {
        this.channel = channel;
        this.names = names;
        this.upstreams = upstreams;
        this.relays = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "berth-dns-relay-" + label);
            thread.setDaemon(true);
            return thread;
        });
        this.receiver = new Thread(this::serve, "berth-dns-" + label);
        this.receiver.setDaemon(true);
    }

    /**
     * Starts a server on address:port.
     *
     * @param names a container's address by name (lower case) for the asking client's IPv4
     *     address; empty when unknown
     * @param upstreams where other questions go (the host's resolvers)
     */
    public static EmbeddedDns start(String address, int port, BiFunction<String, String, Optional<String>> names,
            List<InetSocketAddress> upstreams) throws IOException {
        DatagramChannel channel = DatagramChannel.open(java.net.StandardProtocolFamily.INET);
        try {
            channel.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot serve DNS on " + address + ":" + port + ": " + e.getMessage(), e);
        }
        EmbeddedDns dns = new EmbeddedDns(channel, names, upstreams, address);
        dns.receiver.start();
        return dns;
    }

    public int port() throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    private void serve() {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_PACKET);
        while (!closed) {
            try {
                buffer.clear();
                SocketAddress client = channel.receive(buffer);
                byte[] query = new byte[buffer.position()];
                buffer.flip();
                buffer.get(query);
                Optional<DnsMessages.Question> question = DnsMessages.question(query, query.length);
                if (question.isEmpty()) {
                    continue;
                }
                String asker = client instanceof InetSocketAddress socket && socket.getAddress() != null
                        ? socket.getAddress().getHostAddress() : null;
                Optional<String> known = names.apply(question.get().name(), asker);
                if (known.isPresent()) {
                    channel.send(ByteBuffer.wrap(DnsMessages.answer(query, question.get(), toBytes(known.get()))), client);
                } else {
                    relays.execute(() -> relay(query, question.get(), client));
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.debug("DNS request failed: {}", e.toString());
                }
            }
        }
    }

    private void relay(byte[] query, DnsMessages.Question question, SocketAddress client) {
        for (InetSocketAddress upstream : upstreams) {
            try (java.net.DatagramSocket socket = new java.net.DatagramSocket()) {
                socket.setSoTimeout(UPSTREAM_TIMEOUT_MS);
                socket.send(new java.net.DatagramPacket(query, query.length, upstream));
                java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[MAX_PACKET], MAX_PACKET);
                socket.receive(reply);
                channel.send(ByteBuffer.wrap(reply.getData(), 0, reply.getLength()), client);
                return;
            } catch (SocketTimeoutException e) {
                LOG.debug("DNS upstream {} did not answer for {}", upstream, question.name());
            } catch (IOException e) {
                LOG.debug("DNS upstream {} failed: {}", upstream, e.toString());
            }
        }
        try {
            channel.send(ByteBuffer.wrap(DnsMessages.failure(query, question)), client);
        } catch (IOException e) {
            LOG.debug("cannot answer a DNS client: {}", e.toString());
        }
    }

    private static byte[] toBytes(String address) {
        String[] parts = address.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        return bytes;
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the DNS socket: {}", e.toString());
        }
        relays.shutdownNow();
    }

    /** The host's IPv4 name servers from resolv.conf: the daemon relays, so loopback ones work too. */
    public static List<InetSocketAddress> hostResolvers(String resolvConf) {
        return resolvConf.lines().map(String::trim).filter(line -> line.startsWith("nameserver"))
                .map(line -> line.substring("nameserver".length()).trim())
                .filter(address -> !address.contains(":"))
                .map(address -> new InetSocketAddress(address, 53)).toList();
    }
}
