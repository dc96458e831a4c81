package dev.berth.net.dns;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The few parts of DNS (RFC 1035) the embedded server needs: the question of a query, and an
 * answer to it built from a request.
 */
final class DnsMessages {
    static final int TYPE_A = 1;
    static final int TYPE_AAAA = 28;
    private static final int CLASS_IN = 1;
    private static final int TTL_SECONDS = 600;

    private DnsMessages() {
    }

    /** The single question of a query: its name (lower case, no trailing dot), type and where it ends. */
    record Question(String name, int type, int klass, int end) {
    }

    static Optional<Question> question(byte[] packet, int length) {
        if (length < 12) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(packet, 0, length);
        boolean isQuery = (in.get(2) & 0x80) == 0;
        int opcode = (in.get(2) >> 3) & 0x0f;
        int questions = in.getShort(4) & 0xffff;
        if (!isQuery || opcode != 0 || questions != 1) {
            return Optional.empty();
        }
        StringBuilder name = new StringBuilder();
        int at = 12;
        while (true) {
            if (at >= length) {
                return Optional.empty();
            }
            int label = packet[at] & 0xff;
            if (label == 0) {
                at++;
                break;
            }
            if (label > 63 || at + 1 + label > length) {
                return Optional.empty();
            }
            if (name.length() > 0) {
                name.append('.');
            }
            name.append(new String(packet, at + 1, label, java.nio.charset.StandardCharsets.US_ASCII));
            at += 1 + label;
        }
        if (at + 4 > length) {
            return Optional.empty();
        }
        int type = in.getShort(at) & 0xffff;
        int klass = in.getShort(at + 2) & 0xffff;
        return Optional.of(new Question(name.toString().toLowerCase(java.util.Locale.ROOT), type, klass, at + 4));
    }

    /**
     * The answer to a query for a name the server knows: one A record for an A question, none
     * (NOERROR) for any other type, so that resolvers do not fall through to other servers.
     */
    static byte[] answer(byte[] query, Question question, byte[] address) {
        boolean withRecord = question.type() == TYPE_A && question.klass() == CLASS_IN;
        ByteBuffer out = ByteBuffer.allocate(question.end() + (withRecord ? 16 : 0));
        out.put(query, 0, question.end());
        out.putShort(2, (short) (0x8400 | (query[2] & 0x01) << 8 | 0x80));
        out.putShort(6, (short) (withRecord ? 1 : 0));
        out.putShort(8, (short) 0);
        out.putShort(10, (short) 0);
        if (withRecord) {
            out.putShort((short) 0xc00c).putShort((short) TYPE_A).putShort((short) CLASS_IN).putInt(TTL_SECONDS)
                    .putShort((short) 4).put(address);
        }
        return out.array();
    }

    /** SERVFAIL for a query no upstream answered. */
    static byte[] failure(byte[] query, Question question) {
        ByteBuffer out = ByteBuffer.allocate(question.end());
        out.put(query, 0, question.end());
        out.putShort(2, (short) (0x8000 | (query[2] & 0x01) << 8 | 0x80 | 2));
        out.putShort(6, (short) 0).putShort(8, (short) 0).putShort(10, (short) 0);
        return out.array();
    }
}
