package dev.berth.exec.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A seccomp profile in Docker's format (the one `--security-opt seccomp=FILE` takes and Debian's
 * containers-common ships as the default) made into the OCI spec's: the architectures of this
 * host from its archMap, and only the rules whose includes and excludes (capabilities,
 * architectures) fit the container.
 */
public final class SeccompProfile {
    /** Debian's containers-common: Docker's default profile. */
    public static final Path DEFAULT_PATH = Path.of("/usr/share/containers/seccomp.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile JsonNode defaultProfile;

    private SeccompProfile() {
    }

    /** The default profile, read once; null when the host has none (the containers run unconfined, and /info says so). */
    public static JsonNode defaultProfile() {
        JsonNode profile = defaultProfile;
        if (profile == null && Files.isRegularFile(DEFAULT_PATH)) {
            try {
                profile = JSON.readTree(DEFAULT_PATH.toFile());
                defaultProfile = profile;
            } catch (IOException e) {
                throw new IllegalStateException("the default seccomp profile " + DEFAULT_PATH + " is unreadable: " + e.getMessage(), e);
            }
        }
        return profile;
    }

    /** Parses a profile a client sent (the CLI sends the file's content). */
    public static JsonNode parse(String json) throws IOException {
        JsonNode profile = JSON.readTree(json);
        if (profile == null || !profile.isObject() || !profile.has("defaultAction")) {
            throw new IOException("a seccomp profile is a JSON object with a defaultAction");
        }
        return profile;
    }

    /** This host's architecture as seccomp names it. */
    public static String nativeArchitecture() {
        return switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "SCMP_ARCH_X86_64";
            case "aarch64" -> "SCMP_ARCH_AARCH64";
            case "ppc64le" -> "SCMP_ARCH_PPC64LE";
            case "s390x" -> "SCMP_ARCH_S390X";
            default -> "SCMP_ARCH_NATIVE";
        };
    }

    /** This host's architecture in Go's names, which the rules' includes and excludes use. */
    public static String goArchitecture() {
        return switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> System.getProperty("os.arch", "");
        };
    }

    /**
     * The OCI form of profile for a container holding capabilities.
     *
     * @param arch this host's architecture in seccomp's names (SCMP_ARCH_X86_64), for the archMap
     * @param goArch the same in Go's (amd64), for the rules' includes and excludes
     */
    public static ObjectNode toOci(JsonNode profile, List<String> capabilities, String arch, String goArch) {
        ObjectNode oci = JsonNodeFactory.instance.objectNode();
        oci.put("defaultAction", profile.path("defaultAction").asText());
        if (profile.has("defaultErrnoRet")) {
            oci.put("defaultErrnoRet", profile.get("defaultErrnoRet").asInt());
        }
        ArrayNode architectures = oci.putArray("architectures");
        for (JsonNode entry : profile.path("archMap")) {
            if (entry.path("architecture").asText().equals(arch)) {
                architectures.add(arch);
                entry.path("subArchitectures").forEach(sub -> architectures.add(sub.asText()));
            }
        }
        if (architectures.isEmpty()) {
            profile.path("architectures").forEach(a -> architectures.add(a.asText()));
        }
        ArrayNode syscalls = oci.putArray("syscalls");
        for (JsonNode rule : profile.path("syscalls")) {
            if (!applies(rule, capabilities, goArch)) {
                continue;
            }
            ObjectNode call = syscalls.addObject();
            ArrayNode names = call.putArray("names");
            if (rule.has("names")) {
                rule.get("names").forEach(n -> names.add(n.asText()));
            } else if (rule.has("name")) {
                names.add(rule.get("name").asText());
            }
            call.put("action", rule.path("action").asText());
            if (rule.has("errnoRet")) {
                call.put("errnoRet", rule.get("errnoRet").asInt());
            }
            ArrayNode args = call.putArray("args");
            for (JsonNode arg : rule.path("args")) {
                args.addObject().put("index", arg.path("index").asInt()).put("value", arg.path("value").asLong())
                        .put("valueTwo", arg.path("valueTwo").asLong()).put("op", arg.path("op").asText());
            }
        }
        return oci;
    }

    private static boolean applies(JsonNode rule, List<String> capabilities, String arch) {
        JsonNode includes = rule.path("includes");
        for (JsonNode cap : includes.path("caps")) {
            if (!capabilities.contains(cap.asText())) {
                return false;
            }
        }
        if (includes.path("arches").size() > 0 && !contains(includes.path("arches"), arch)) {
            return false;
        }
        JsonNode excludes = rule.path("excludes");
        for (JsonNode cap : excludes.path("caps")) {
            if (capabilities.contains(cap.asText())) {
                return false;
            }
        }
        return !contains(excludes.path("arches"), arch);
    }

    private static boolean contains(JsonNode list, String value) {
        for (JsonNode item : list) {
            if (item.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }
}
