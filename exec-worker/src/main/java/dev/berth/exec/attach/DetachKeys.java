package dev.berth.exec.attach;

import dev.berth.bus.EngineException;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The key sequence that detaches a client from a container or an exec without stopping it:
 * Docker's format ("ctrl-p,ctrl-q", "a,ctrl-x"), ctrl-p ctrl-q when none is given. The session
 * watches its client's input for it, as dockerd does.
 */
public final class DetachKeys {
    public static final String DEFAULT = "ctrl-p,ctrl-q";

    private final byte[] sequence;
    /** How many bytes of the sequence the input has matched so far; they are held back. */
    private int matched;

    private DetachKeys(byte[] sequence) {
        this.sequence = sequence;
    }

    /** Parses Docker's format; "" or null is the default. Bad input is INVALID_ARGUMENT with dockerd's words. */
    public static DetachKeys parse(String keys) {
        String text = keys == null || keys.isEmpty() ? DEFAULT : keys;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String key : text.split(",", -1)) {
            bytes.write(toByte(key.trim(), text));
        }
        return new DetachKeys(bytes.toByteArray());
    }

    /** Checks the format without keeping the result (exec create refuses bad keys at once). */
    public static void validate(String keys) {
        parse(keys);
    }

    private static int toByte(String key, String all) {
        if (key.length() == 1) {
            return key.charAt(0);
        }
        if (key.startsWith("ctrl-") && key.length() == 6) {
            char c = key.charAt(5);
            if (c >= 'a' && c <= 'z') {
                return c - 'a' + 1;
            }
            switch (c) {
                case '@': return 0;
                case '[': return 27;
                case '\\': return 28;
                case ']': return 29;
                case '^': return 30;
                case '_': return 31;
                default: break;
            }
        }
        throw EngineException.invalid("Invalid detach keys (" + all + ") provided");
    }

    byte[] sequence() {
        return Arrays.copyOf(sequence, sequence.length);
    }

    /** What a scan of one piece of input found: the bytes to pass on, and whether the sequence came. */
    public record Scan(byte[] pass, boolean detach) {
    }

    /**
     * Scans input: bytes that may begin the sequence are held until the next bytes show whether
     * they do; held bytes that turn out not to are passed on. On the whole sequence, the bytes
     * before it are passed and the client detaches.
     */
    public Scan scan(byte[] input, int length) {
        ByteArrayOutputStream pass = new ByteArrayOutputStream(length + sequence.length);
        for (int i = 0; i < length; i++) {
            byte b = input[i];
            if (b == sequence[matched]) {
                matched++;
                if (matched == sequence.length) {
                    matched = 0;
                    return new Scan(pass.toByteArray(), true);
                }
                continue;
            }
            if (matched > 0) {
                pass.write(sequence, 0, matched);
                matched = 0;
                if (b == sequence[0]) {
                    matched = 1;
                    continue;
                }
            }
            pass.write(b);
        }
        return new Scan(pass.toByteArray(), false);
    }
}
