package dev.berth.bus;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Docker's filter timestamps: unix seconds[.nanos], RFC 3339, or a Go duration back from now. */
public final class Timestamps {
    private static final Pattern UNIX = Pattern.compile("^-?\\d+(\\.\\d{1,9})?$");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|m|s|ms)");

    private Timestamps() {
    }

    public static Instant parse(String value, Instant now) {
        if (UNIX.matcher(value).matches()) {
            BigDecimal seconds = new BigDecimal(value);
            return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException ignored) {
            // not a date; maybe a duration
        }
        Matcher m = DURATION.matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            double amount = Double.parseDouble(m.group(1));
            long millis = (long) (amount * switch (m.group(2)) {
                case "h" -> 3_600_000;
                case "m" -> 60_000;
                case "s" -> 1_000;
                default -> 1;
            });
            total = total.plusMillis(millis);
            end = m.end();
        }
        if (end == 0 || end != value.length()) {
            throw EngineException.invalid("invalid value for 'until' filter: cannot parse \"" + value + "\" as a timestamp");
        }
        return now.minus(total);
    }
}
