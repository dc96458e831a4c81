package dev.berth.bus.contract.logs;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.container.HostConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A container's log driver and options as Berth honours them, and the daemon-wide defaults
 * (daemon.json {@code log-driver}, {@code log-opts}) merged into a container's as dockerd merges
 * them.
 */
public final class LogDriverConfig {
    private LogDriverConfig() {
    }

    /**
     * Checks the values of the options Berth acts on: rotation ({@link RotationPolicy}) and
     * {@code compress}. Rotated files stay plain, so {@code compress=false} is honoured and
     * {@code compress=true} refused by name rather than accepted and ignored.
     */
    public static void checkValues(String driver, Map<String, String> options) {
        RotationPolicy.of(driver, options);
        String compress = options == null ? null : options.get("compress");
        if (compress != null) {
            boolean wanted = switch (compress.toLowerCase(java.util.Locale.ROOT)) {
                case "1", "t", "true" -> true;
                case "0", "f", "false" -> false;
                default -> throw EngineException.invalid("invalid boolean value for compress: " + compress);
            };
            if (wanted) {
                throw EngineException.invalid("berth does not support the log option compress=true (compressed rotated"
                        + " log files) yet; use compress=false");
            }
        }
    }

    /**
     * dockerd's mergeAndVerifyLogConfig: a container that names no driver gets the daemon's, and
     * one whose driver is the daemon's gets the daemon's options it does not set itself.
     *
     * @param daemon the daemon-wide default; null when daemon.json and the flags set none
     */
    public static HostConfig.LogConfig withDefaults(HostConfig.LogConfig asked, HostConfig.LogConfig daemon) {
        if (daemon == null) {
            return asked;
        }
        String type = asked == null || asked.type() == null || asked.type().isEmpty() ? daemon.type() : asked.type();
        Map<String, String> options = new LinkedHashMap<>();
        if (asked != null && asked.config() != null) {
            options.putAll(asked.config());
        }
        if (type.equals(daemon.type()) && daemon.config() != null) {
            daemon.config().forEach(options::putIfAbsent);
        }
        return new HostConfig.LogConfig(type, options);
    }
}
