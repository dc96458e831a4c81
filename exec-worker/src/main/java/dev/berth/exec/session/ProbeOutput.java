package dev.berth.exec.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A health probe's output, stdout and stderr together in order, cut at dockerd's 4096 bytes: read
 * from the exec helper's FIFOs, or from the k8s-file log conmon wrote ("time stream P|F text"
 * lines, P for a piece of a longer line).
 */
final class ProbeOutput {
    static final int MAX_BYTES = 4096;

    private ProbeOutput() {
    }

    static String read(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        return parse(Files.readString(log, StandardCharsets.UTF_8));
    }

    static String parse(String log) {
        StringBuilder out = new StringBuilder();
        for (String line : log.split("\n", -1)) {
            String[] parts = line.split(" ", 4);
            if (parts.length < 3) {
                continue;
            }
            out.append(parts.length == 4 ? parts[3] : "");
            if ("F".equals(parts[2])) {
                out.append('\n');
            }
        }
        return cut(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Output as text, at most dockerd's 4096 bytes of it. */
    static String cut(byte[] bytes) {
        return new String(bytes, 0, Math.min(bytes.length, MAX_BYTES), StandardCharsets.UTF_8);
    }
}
