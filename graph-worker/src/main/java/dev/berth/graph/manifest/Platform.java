package dev.berth.graph.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.bus.EngineException;
import dev.berth.host.HostFacts;
import java.util.Locale;

/** A platform as an index entry (and an image config) names it: linux/amd64, linux/arm/v7. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Platform(String architecture, String os, @JsonProperty("os.version") String osVersion, String variant) {
    /** linux and this host's architecture, which a pull without --platform selects. */
    public static Platform host() {
        return new Platform(HostFacts.goArchitecture(), "linux", null, null);
    }

    /** Parses what --platform takes: os[/arch[/variant]]; a missing arch is the host's. */
    public static Platform parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("/");
        if (parts.length > 3 || parts[0].isEmpty()) {
            throw EngineException.invalid("\"" + text + "\": unknown operating system or architecture: invalid argument");
        }
        String arch = parts.length > 1 ? normalArch(parts[1]) : HostFacts.goArchitecture();
        String variant = parts.length > 2 ? parts[2] : null;
        return new Platform(arch, parts[0], null, variant);
    }

    private static String normalArch(String arch) {
        return switch (arch) {
            case "x86_64", "x86-64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }

    /** Whether an entry's platform is this one: os and architecture equal, variant when this one names one. */
    public boolean matches(Platform other) {
        if (other == null || !os.equals(other.os()) || !architecture.equals(normalArch(String.valueOf(other.architecture())))) {
            return false;
        }
        return variant == null || variant.equals(other.variant());
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant != null ? "/" + variant : "");
    }
}
