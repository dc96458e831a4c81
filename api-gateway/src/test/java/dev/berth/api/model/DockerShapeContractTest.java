package dev.berth.api.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.container.ContainerConfig;
import dev.berth.bus.contract.container.ContainerState;
import dev.berth.bus.contract.container.ContainerView;
import dev.berth.bus.contract.container.HostConfig;
import dev.berth.bus.contract.network.Endpoint;
import dev.berth.bus.contract.container.MountPoint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract between the exec worker's view and Docker's JSON: a view rendered by the gateway
 * has every field of dockerd's own output (fixtures of `docker inspect` and of a `docker ps` item
 * from dockerd 28, in src/test/resources/dockerd), each with the JSON type dockerd gives it, and
 * no field dockerd does not have.
 */
class DockerShapeContractTest {
    /** Maps whose keys are data (labels, ports, networks), not fields: only their type is compared. */
    private static final Set<String> FREE_FORM = Set.of("Labels", "Ports", "ExposedPorts", "Volumes", "Data", "Config.Config",
            "Sysctls", "Tmpfs", "StorageOpt", "Annotations", "DriverOpts", "PortBindings");

    private static JsonObject fixture(String name) throws IOException {
        try (InputStream in = DockerShapeContractTest.class.getResourceAsStream("/dockerd/" + name)) {
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static ContainerView view() {
        ContainerConfig config = JobCodec.decode(new JsonObject("{\"Image\":\"busybox\",\"Cmd\":[\"sleep\",\"60\"],"
                + "\"Hostname\":\"8dfafdbc3a40\",\"Env\":[\"PATH=/bin\"],\"Labels\":{\"tier\":\"front\"},"
                + "\"ExposedPorts\":{\"80/tcp\":{}}}"), ContainerConfig.class);
        ContainerState state = new ContainerState("running", true, false, false, false, false, 4242, 0, "",
                "2026-11-28T11:00:00.223456789Z", ContainerState.ZERO_TIME, null);
        return new ContainerView("8dfa".repeat(16), "web", "2026-11-28T11:00:00.123456789Z", "sha256:" + "3f".repeat(32), "busybox",
                "sleep", List.of("60"), config, HostConfig.empty(), null, state, 0, "/d/container.log", "/d/hostname", "/d/hosts",
                "/d/resolv.conf", "overlay2", "/d/merged", "/run/berth/netns/8dfa",
                List.of(new Endpoint("4e".repeat(32), "bridge", "5f".repeat(32), "10.199.0.2", 20, "10.199.0.1", "02:42:0a:c7:00:02",
                        List.of(), List.of())),
                List.of(new MountPoint("bind", "", "/srv/data", "/data", "", "ro", false, "rprivate"),
                        new MountPoint("volume", "cache", "/var/lib/berth/volumes/cache/_data", "/cache", "local", "z", true, ""),
                        new MountPoint("tmpfs", "", "", "/scratch", "", "", true, "")));
    }

    @Test
    void inspect_has_dockerds_fields_with_dockerds_types() throws IOException {
        List<String> problems = new ArrayList<>();
        compare("", ContainerJson.inspect(view()), fixture("inspect-busybox.json"), problems);
        assertThat(problems).isEmpty();
    }

    @Test
    void a_ps_item_has_dockerds_fields_with_dockerds_types() throws IOException {
        List<String> problems = new ArrayList<>();
        compare("", ContainerJson.summary(view(), Instant.parse("2026-11-28T11:00:05Z")), fixture("ps-busybox.json"), problems);
        assertThat(problems).isEmpty();
    }

    /**
     * Against what a real dockerd (20.10, API 1.41) answered, captured by
     * bench/capture-docker-fixtures.sh: every field it has, Berth has too, with the same JSON type.
     * Fields newer than API 1.41 are not in that output, so only this direction is checked.
     */
    @Test
    void inspect_and_ps_have_every_field_a_real_dockerd_answered() throws IOException {
        List<String> problems = new ArrayList<>();
        compare("", ContainerJson.inspect(view()), fixture("container-inspect-running.json"), problems);
        JsonObject psItem = new JsonArray(new String(DockerShapeContractTest.class.getResourceAsStream("/dockerd/container-list.json")
                .readAllBytes(), StandardCharsets.UTF_8)).getJsonObject(0);
        compare("", ContainerJson.summary(view(), Instant.parse("2026-11-28T11:00:05Z")), psItem, problems);
        // Kernel memory limits left the API in 1.42; Berth answers at 1.51.
        Set<String> removedSince141 = Set.of("missing HostConfig.KernelMemory", "missing HostConfig.KernelMemoryTCP");
        assertThat(problems.stream().filter(p -> !p.startsWith("not in dockerd's output") && !removedSince141.contains(p))
                .toList()).isEmpty();
    }

    /** Berth's object against dockerd's: same keys; same JSON types, where dockerd's null stands for "an object or array that may be absent". */
    private static void compare(String path, JsonObject berth, JsonObject docker, List<String> problems) {
        for (String key : docker.fieldNames()) {
            if (!berth.containsKey(key)) {
                problems.add("missing " + path + key);
            }
        }
        for (String key : berth.fieldNames()) {
            String field = path + key;
            if (!docker.containsKey(key)) {
                problems.add("not in dockerd's output: " + field);
                continue;
            }
            Object ours = berth.getValue(key);
            Object theirs = docker.getValue(key);
            if (ours == null || theirs == null) {
                if (ours != null && !(ours instanceof JsonObject || ours instanceof JsonArray)
                        || theirs != null && !(theirs instanceof JsonObject || theirs instanceof JsonArray)) {
                    problems.add(field + ": null where dockerd has " + kind(theirs) + " or the other way round");
                }
                continue;
            }
            if (!kind(ours).equals(kind(theirs))) {
                problems.add(field + ": " + kind(ours) + " where dockerd has " + kind(theirs));
            } else if (ours instanceof JsonObject object && !FREE_FORM.contains(key) && !FREE_FORM.contains(lastTwo(field))) {
                compare(field + ".", object, (JsonObject) theirs, problems);
            }
        }
    }

    private static String lastTwo(String field) {
        String[] parts = field.split("\\.");
        return parts.length < 2 ? field : parts[parts.length - 2] + "." + parts[parts.length - 1];
    }

    private static String kind(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof JsonObject) {
            return "an object";
        }
        if (value instanceof JsonArray) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return "a number";
    }
}
