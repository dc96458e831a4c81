package dev.berth.bus.contract.logs;

import dev.berth.bus.EngineException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log options {@code max-size} and {@code max-file} of a container's LogConfig, with
 * dockerd's syntax and checks: sizes as go-units reads them ({@code 10m}, {@code 1.5g},
 * {@code 512k}, {@code 100} bytes; binary multiples), at least one file, and more than one only
 * with a size. {@code maxSize} is -1 when the log grows without rotation.
 */
public record RotationPolicy(long maxSize, int maxFiles) {
    public static final RotationPolicy NONE = new RotationPolicy(-1, 1);
    private static final Pattern SIZE = Pattern.compile("^(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(?:i?b)?$", Pattern.CASE_INSENSITIVE);

    public boolean rotates() {
        return maxSize > 0;
    }

    /** dockerd's local driver rotates unless told otherwise: 5 files of 20 MiB, 100 MiB in all. */
    public static final RotationPolicy LOCAL_DEFAULT = new RotationPolicy(20L << 20, 5);

    /** The policy of a driver ({@code local} has its own defaults) and its options. */
    public static RotationPolicy of(String driver, Map<String, String> options) {
        return of(options, "local".equals(driver) ? LOCAL_DEFAULT : NONE);
    }

    /** The policy the options ask for; INVALID_ARGUMENT naming the option when one is malformed. */
    public static RotationPolicy of(Map<String, String> options) {
        return of(options, NONE);
    }

    private static RotationPolicy of(Map<String, String> options, RotationPolicy defaults) {
        if (options == null) {
            return defaults;
        }
        long maxSize = defaults.maxSize;
        String size = options.get("max-size");
        if (size != null && !size.isEmpty() && !size.equals("-1")) {
            maxSize = parseSize(size);
            if (maxSize <= 0) {
                throw EngineException.invalid("max-size must be a positive number");
            }
        }
        int maxFiles = defaults.maxFiles;
        String files = options.get("max-file");
        if (files != null && !files.isEmpty()) {
            try {
                maxFiles = Integer.parseInt(files);
            } catch (NumberFormatException e) {
                throw EngineException.invalid("invalid value for max-file: " + files);
            }
            if (maxFiles < 1) {
                throw EngineException.invalid("max-file cannot be less than 1");
            }
            if (maxFiles > 1 && maxSize <= 0) {
                throw EngineException.invalid("max-file can only be set if max-size is set");
            }
        }
        return new RotationPolicy(maxSize, maxFiles);
    }

    private static long parseSize(String value) {
        Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            throw EngineException.invalid("invalid size: '" + value + "'");
        }
        double number = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            case "p" -> 50;
            default -> 0;
        };
        return (long) (number * (1L << shift));
    }
}
