package dev.berth.api.router;

import dev.berth.bus.EngineException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.regex.Pattern;

/**
 * A time in a query ({@code since}, {@code until} of logs and events): unix seconds with an
 * optional fraction, which is what the CLI sends after reading "10m" or a date, or RFC 3339.
 */
public final class UnixTimeParam {
    private static final Pattern UNIX_TIME = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private UnixTimeParam() {
    }

    /** In unix nanoseconds; absent, empty or not after the epoch: 0 (unset). A 400 naming it otherwise. */
    public static long unixNanos(String name, String value) {
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
