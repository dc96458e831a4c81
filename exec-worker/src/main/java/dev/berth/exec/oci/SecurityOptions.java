package dev.berth.exec.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.EngineException;
import dev.berth.bus.contract.container.HostConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A container's capabilities and --security-opt, with Docker's rules: the default capability
 * set changed by --cap-add and --cap-drop (ALL included), no-new-privileges, the default seccomp
 * profile or the one given (or none: unconfined, privileged), and systempaths=unconfined. What
 * Berth cannot honour on this host (AppArmor profiles, SELinux labels, a capability the daemon
 * does not hold) is refused, never dropped.
 */
public final class SecurityOptions {
    /** What the spec of one container takes from its security options. */
    public record Security(List<String> capabilities, boolean noNewPrivileges, ObjectNode seccomp, List<String> maskedPaths,
            List<String> readonlyPaths) {
    }

    private SecurityOptions() {
    }

    /**
     * The security of a container created with host; throws INVALID_ARGUMENT for what is wrong.
     *
     * @param daemonCapabilities what the daemon itself holds: all a container can get
     * @param defaultSeccomp the default profile in Docker's format, null when the host has none
     */
    public static Security resolve(HostConfig host, List<String> daemonCapabilities, JsonNode defaultSeccomp) {
        boolean privileged = host.privilegedEnabled();
        List<String> capabilities = privileged ? daemonCapabilities
                : capabilities(names(host.capAdd()), names(host.capDrop()), daemonCapabilities);
        boolean noNewPrivileges = false;
        JsonNode profile = privileged ? null : defaultSeccomp;
        boolean maskPaths = !privileged;
        for (String option : host.securityOpt() == null ? List.<String>of() : host.securityOpt()) {
            int separator = indexOfSeparator(option);
            String key = separator < 0 ? option : option.substring(0, separator);
            String value = separator < 0 ? "" : option.substring(separator + 1);
            switch (key) {
                case "no-new-privileges" -> noNewPrivileges = switch (value) {
                    case "", "true" -> true;
                    case "false" -> false;
                    default -> throw EngineException.invalid("invalid --security-opt 2: \"" + option + "\"");
                };
                case "seccomp" -> {
                    if (value.equals("unconfined")) {
                        profile = null;
                    } else if (value.isEmpty()) {
                        throw EngineException.invalid("invalid --security-opt 2: \"" + option + "\"");
                    } else if (!privileged) {
                        try {
                            profile = SeccompProfile.parse(value);
                        } catch (IOException e) {
                            throw EngineException.invalid("Decoding seccomp profile failed: " + e.getMessage());
                        }
                    }
                }
                case "systempaths" -> {
                    if (!value.equals("unconfined")) {
                        throw EngineException.invalid("invalid --security-opt 2: \"" + option + "\"");
                    }
                    maskPaths = false;
                }
                // nothing to confine or label on a host without AppArmor and SELinux: only "off" is honest
                case "apparmor" -> {
                    if (!value.equals("unconfined")) {
                        throw EngineException.invalid("berth does not support AppArmor profiles (--security-opt " + option + ")");
                    }
                }
                case "label" -> {
                    if (!value.equals("disable")) {
                        throw EngineException.invalid("berth does not support SELinux labels (--security-opt " + option + ")");
                    }
                }
                default -> throw EngineException.invalid("invalid --security-opt 1: \"" + option + "\"");
            }
        }
        ObjectNode seccomp = profile == null ? null : SeccompProfile.toOci(profile, capabilities,
                SeccompProfile.nativeArchitecture(), SeccompProfile.goArchitecture());
        // the CLI sends systempaths=unconfined as empty MaskedPaths and ReadonlyPaths
        List<String> masked = !maskPaths ? List.of() : host.maskedPaths() != null ? host.maskedPaths()
                : OciSpecBuilder.MASKED_PATHS;
        List<String> readonly = !maskPaths ? List.of() : host.readonlyPaths() != null ? host.readonlyPaths()
                : OciSpecBuilder.READONLY_PATHS;
        return new Security(capabilities, noNewPrivileges, seccomp, masked, readonly);
    }

    /** Docker's TweakCapabilities: ALL in add means all but the dropped; ALL in drop means only the added. */
    static List<String> capabilities(List<String> add, List<String> drop, List<String> daemonCapabilities) {
        for (String cap : add) {
            if (!cap.equals("ALL") && !daemonCapabilities.contains(cap)) {
                throw EngineException.invalid("berth cannot grant " + cap + ": the daemon does not hold it");
            }
        }
        Set<String> result = new LinkedHashSet<>();
        if (add.contains("ALL")) {
            result.addAll(daemonCapabilities);
            result.removeAll(drop);
        } else if (drop.contains("ALL")) {
            result.addAll(add);
        } else {
            for (String cap : OciSpecBuilder.DEFAULT_CAPABILITIES) {
                if (daemonCapabilities.contains(cap)) {
                    result.add(cap);
                }
            }
            result.removeAll(drop);
            result.addAll(add);
        }
        return List.copyOf(result);
    }

    /** Capability names as Docker takes them: any case, with or without CAP_, and ALL. */
    static List<String> names(List<String> given) {
        List<String> names = new ArrayList<>();
        for (String name : given == null ? List.<String>of() : given) {
            String upper = name.trim().toUpperCase(Locale.ROOT);
            if (upper.equals("ALL")) {
                names.add("ALL");
                continue;
            }
            String cap = upper.startsWith("CAP_") ? upper : "CAP_" + upper;
            if (!Capabilities.known(cap)) {
                throw EngineException.invalid("unknown capability: \"" + cap + "\"");
            }
            names.add(cap);
        }
        return names;
    }

    /** "key=value" or, as Docker still accepts, "key:value". */
    private static int indexOfSeparator(String option) {
        int equals = option.indexOf('=');
        int colon = option.indexOf(':');
        if (equals < 0) {
            return colon;
        }
        return colon < 0 ? equals : Math.min(equals, colon);
    }
}
