package dev.berth.net.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The embedded DNS server on 127.0.0.1 with real UDP: known names, other types, relaying, and SERVFAIL. */
class EmbeddedDnsTest {
    private static byte[] query(int id, String name, int type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) (id >> 8), (byte) id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        out.write(0);
        out.writeBytes(new byte[] {(byte) (type >> 8), (byte) type, 0, 1});
        return out.toByteArray();
    }

    private static byte[] ask(int port, byte[] query) throws Exception {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(5000);
            socket.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket reply = new DatagramPacket(new byte[512], 512);
            socket.receive(reply);
            return Arrays.copyOf(reply.getData(), reply.getLength());
        }
    }

    @Test
    void aContainerNameAnswersWithItsAddressWhateverItsCase() throws Exception {
        Map<String, String> names = Map.of("web", "10.1.2.3");
        try (EmbeddedDns dns = EmbeddedDns.start("127.0.0.1", 0, (name, client) -> Optional.ofNullable(names.get(name)), List.of())) {
            byte[] reply = ask(dns.port(), query(0x1234, "Web", DnsMessages.TYPE_A));
            ByteBuffer in = ByteBuffer.wrap(reply);
            assertThat(in.getShort(0)).isEqualTo((short) 0x1234);
            assertThat(in.getShort(2) & 0x800f).isEqualTo(0x8000);
            assertThat(in.getShort(6)).isEqualTo((short) 1);
            assertThat(Arrays.copyOfRange(reply, reply.length - 4, reply.length)).containsExactly(10, 1, 2, 3);

            byte[] ipv6 = ask(dns.port(), query(7, "web", DnsMessages.TYPE_AAAA));
            assertThat(ByteBuffer.wrap(ipv6).getShort(2) & 0x000f).isZero();
            assertThat(ByteBuffer.wrap(ipv6).getShort(6)).isZero();
        }
    }

    @Test
    void otherNamesGoToTheUpstreamAndFailWhenNoneAnswers() throws Exception {
        Map<String, String> upstreamNames = Map.of("example.org", "192.0.2.80");
        try (EmbeddedDns upstream = EmbeddedDns.start("127.0.0.1", 0, (name, client) -> Optional.ofNullable(upstreamNames.get(name)), List.of());
                EmbeddedDns dns = EmbeddedDns.start("127.0.0.1", 0, (name, client) -> Optional.empty(),
                        List.of(new InetSocketAddress("127.0.0.1", upstream.port())))) {
            byte[] relayed = ask(dns.port(), query(42, "example.org", DnsMessages.TYPE_A));
            assertThat(Arrays.copyOfRange(relayed, relayed.length - 4, relayed.length)).containsExactly(192, 0, 2, 80);
            // The upstream knows nothing of this one and has no upstream itself: SERVFAIL comes back.
            byte[] failed = ask(dns.port(), query(43, "nowhere.invalid", DnsMessages.TYPE_A));
            assertThat(ByteBuffer.wrap(failed).getShort(2) & 0x000f).isEqualTo(2);
        }
    }

    @Test
    void theHostsResolversAreReadFromResolvConf() {
        assertThat(EmbeddedDns.hostResolvers("# x\nnameserver 10.0.0.2\nnameserver ::1\nsearch a\nnameserver 127.0.0.53\n"))
                .containsExactly(new InetSocketAddress("10.0.0.2", 53), new InetSocketAddress("127.0.0.53", 53));
    }
}
