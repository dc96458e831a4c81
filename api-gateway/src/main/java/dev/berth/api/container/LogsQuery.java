package dev.berth.api.container;

import dev.berth.api.router.ApiRequest;
import dev.berth.bus.EngineException;
import dev.berth.bus.contract.logs.ReadLogs;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.regex.Pattern;

/** The query of GET /containers/{id}/logs read as Docker reads it, as logs.read arguments. */
final class LogsQuery {
    private static final Pattern UNIX_TIME = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private LogsQuery() {
    }

    /**
     * The job's arguments. {@code timestamps} is the gateway's to honour, when it frames the
     * records; {@code details} (the log driver's extra attributes) is refused until honoured.
     */
    static ReadLogs readLogs(ApiRequest request) {
        if (request.bool("details", false)) {
            throw EngineException.invalid("the logs option details (docker logs --details) is not supported yet");
        }
        boolean stdout = request.bool("stdout", false);
        boolean stderr = request.bool("stderr", false);
        if (!stdout && !stderr) {
            throw EngineException.invalid("You must choose at least one stream");
        }
        return new ReadLogs(request.path("id"), stdout, stderr, request.bool("follow", false), tail(request.query("tail")),
                unixNanos("since", request.query("since")), unixNanos("until", request.query("until")));
    }

    /** "all", empty, or anything that is not a count means every line, as in Docker. */
    static int tail(String value) {
        if (value == null) {
            return -1;
        }
        try {
            int lines = Integer.parseInt(value.trim());
            return lines < 0 ? -1 : lines;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Unix seconds with an optional fraction (what the CLI sends), or RFC 3339; 0 = unset. */
    static long unixNanos(String name, String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            if (UNIX_TIME.matcher(value).matches()) {
                BigDecimal nanos = new BigDecimal(value).movePointRight(9);
                return nanos.signum() <= 0 ? 0 : nanos.longValueExact();
            }
            Instant instant = OffsetDateTime.parse(value).toInstant();
            return Math.max(0, Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano()));
        } catch (DateTimeException | ArithmeticException e) {
            throw EngineException.invalid("invalid value for " + name + ": " + value);
        }
    }
}
