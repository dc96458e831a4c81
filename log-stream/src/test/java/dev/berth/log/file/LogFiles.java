package dev.berth.log.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Writes k8s-file logs as conmon does, for tests. */
public final class LogFiles {
    private static final DateTimeFormatter CONMON = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnnxxx");

    private LogFiles() {
    }

    /** A record's line, newline included; {@code nanos} is unix nanos, written at offset +02:00 to keep parsers honest. */
    public static String record(long nanos, String stream, char flag, String data) {
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        return CONMON.format(instant.atOffset(ZoneOffset.ofHours(2))) + " " + stream + " " + flag + " " + data + "\n";
    }

    public static void append(Path file, String text) throws IOException {
        Files.write(file, text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
