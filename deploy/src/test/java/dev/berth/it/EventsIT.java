package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docker events with the real CLI: the journal for --since/--until, live events, filters and formats. */
class EventsIT {
    private static BerthDaemon berth;

    @BeforeAll
    static void start() throws Exception {
        berth = BerthDaemon.start();
        berth.loadBusybox();
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    /** A --since a little before now, as the CLI takes it: unix seconds. */
    private static String secondsAgo(int seconds) {
        return Long.toString(Instant.now().getEpochSecond() - seconds);
    }

    /**
     * An --until of now, to the nanosecond: the CLI sends a duration ("0s") as whole seconds,
     * which would end the window before the events of this second.
     */
    private static String now() {
        return Instant.now().toString();
    }

    private static List<String> lines(String out) {
        return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
    }

    @Test
    void aContainersLifeIsInTheJournalInOrder() throws Exception {
        String since = secondsAgo(1);
        berth.docker("run", "--name", "ev-life", "busybox", "sh", "-c", "exit 3");
        berth.docker("rm", "ev-life").ok();
        String out = berth.docker("events", "--since", since, "--until", now(), "--filter", "container=ev-life",
                "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.exitCode}}").ok();
        assertThat(lines(out)).containsSubsequence("container create ev-life <no value>", "container attach ev-life <no value>",
                "container start ev-life <no value>", "container die ev-life 3", "container destroy ev-life <no value>");
    }

    @Test
    void theDefaultFormatIsDockersLine() throws Exception {
        String since = secondsAgo(1);
        String id = berth.docker("create", "--name", "ev-line", "--label", "tier=front", "busybox", "true").ok().trim();
        String out = berth.docker("events", "--since", since, "--until", now(), "--filter", "container=ev-line").ok();
        assertThat(lines(out)).hasSize(1);
        assertThat(out.trim()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z container create " + id
                + " \\(image=busybox, name=ev-line, tier=front\\)");
        // The CLI drops the fields it does not know from {{json .}}: node and seq are for API clients.
        String json = berth.rawRequest("GET", "/events?since=" + since + "&until=" + (Instant.now().getEpochSecond() + 1)
                + "&filters=%7B%22container%22%3A%5B%22ev-line%22%5D%7D", null, null);
        assertThat(json).startsWith("HTTP/1.1 200").contains("Content-Type: application/json")
                .contains("{\"status\":\"create\",\"id\":\"" + id + "\",\"from\":\"busybox\",\"Type\":\"container\","
                        + "\"Action\":\"create\",\"Actor\":{\"ID\":\"" + id + "\",\"Attributes\":{\"image\":\"busybox\","
                        + "\"name\":\"ev-line\",\"tier\":\"front\"}},\"scope\":\"local\",\"time\":")
                .containsPattern("\"node\":\"[^\"]+\",\"seq\":[0-9]+}\n");
        berth.docker("rm", "ev-line").ok();
    }

    @Test
    void stopAndKillSayHowTheContainerWasSignalled() throws Exception {
        String since = secondsAgo(1);
        berth.docker("run", "-d", "--name", "ev-kill", "busybox", "sleep", "60").ok();
        berth.docker("kill", "-s", "USR1", "ev-kill").ok();
        berth.docker("stop", "-t", "1", "ev-kill").ok();
        String out = berth.docker("events", "--since", since, "--until", now(), "--filter", "container=ev-kill",
                "--filter", "event=kill", "--filter", "event=stop", "--format", "{{.Action}} {{.Actor.Attributes.signal}}").ok();
        assertThat(lines(out)).containsSubsequence("kill 10", "kill 15", "stop <no value>");
        assertThat(lines(out)).allMatch(line -> line.startsWith("kill") || line.startsWith("stop"));
        berth.docker("rm", "ev-kill").ok();
    }

    @Test
    void imageEventsAndTheImageFilter() throws Exception {
        String since = secondsAgo(1);
        berth.docker("tag", "busybox", "ev-img:1").ok();
        berth.docker("rmi", "ev-img:1").ok();
        String out = berth.docker("events", "--since", since, "--until", now(), "--filter", "type=image",
                "--filter", "image=ev-img", "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}").ok();
        assertThat(lines(out)).containsExactly("image tag ev-img:1", "image untag ev-img:1");
    }

    /** The events of a window as the CLI's {{json .}} prints them. */
    private static List<JsonObject> jsonEvents(String since, String... filters) throws Exception {
        List<String> args = new ArrayList<>(List.of("events", "--since", since, "--until", now(), "--format", "{{json .}}"));
        for (String filter : filters) {
            args.add("--filter");
            args.add(filter);
        }
        return lines(berth.docker(args.toArray(String[]::new)).ok()).stream().map(JsonObject::new).toList();
    }

    private static Map<String, Object> attributes(JsonObject event) {
        return event.getJsonObject("Actor").getJsonObject("Attributes").getMap();
    }

    /** The one event of the window with this action, whose attributes hold all of {@code expected}. */
    private static JsonObject theOne(List<JsonObject> events, String action, Map<String, String> expected) {
        Predicate<JsonObject> matches = e -> e.getString("Action").equals(action)
                && expected.entrySet().stream().allMatch(x -> x.getValue().equals(attributes(e).get(x.getKey())));
        List<JsonObject> found = events.stream().filter(matches).toList();
        assertThat(found).as("one %s %s among %s; those with that action: %s", action, expected, actions(events),
                events.stream().filter(e -> e.getString("Action").equals(action)).map(EventsIT::attributes).toList()).hasSize(1);
        return found.get(0);
    }

    /**
     * The window's events once one with {@code action} is among them: some are published just
     * after the command that caused them returned (a die after `start -a`, as dockerd tells
     * waiters before it announces the exit).
     */
    private static List<JsonObject> jsonEventsOnce(String action, String since, String... filters) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            List<JsonObject> events = jsonEvents(since, filters);
            if (actions(events).contains(action)) {
                return events;
            }
            assertThat(System.nanoTime()).as("a %s event among %s", action, actions(events)).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static List<String> actions(List<JsonObject> events) {
        return events.stream().map(e -> e.getString("Action")).toList();
    }

    @Test
    void everyContainerOperationIsAnnouncedWithDockerdsActionAndAttributes() throws Exception {
        String since = secondsAgo(1);
        String id = berth.docker("run", "-d", "--name", "ev-ops", "--label", "team=ops", "busybox", "sleep", "600").ok().trim();
        berth.docker("pause", "ev-ops").ok();
        berth.docker("unpause", "ev-ops").ok();
        berth.docker("rename", "ev-ops", "ev-ops2").ok();
        assertThat(berth.docker("exec", "ev-ops2", "sh", "-c", "exit 3").exitCode()).isEqualTo(3);
        berth.docker("top", "ev-ops2").ok();
        berth.docker("update", "--cpu-shares", "512", "ev-ops2").ok();
        berth.docker("kill", "-s", "USR1", "ev-ops2").ok();
        assertThat(berth.rawPost("/containers/" + id + "/resize?h=30&w=100", "text/plain", "")).startsWith("HTTP/1.1 200");
        Path file = Files.createTempFile("ev-cp", ".txt");
        try {
            Files.writeString(file, "copied\n");
            berth.docker("cp", file.toString(), "ev-ops2:/tmp/in.txt").ok();
            berth.docker("cp", "ev-ops2:/tmp/in.txt", file.toString()).ok();
        } finally {
            Files.deleteIfExists(file);
        }
        Path exported = Files.createTempFile("ev-export", ".tar");
        try {
            berth.docker("export", "-o", exported.toString(), "ev-ops2").ok();
        } finally {
            Files.deleteIfExists(exported);
        }
        String image = berth.docker("commit", "-m", "ev note", "ev-ops2", "ev-committed:1").ok().trim();
        berth.docker("restart", "-t", "1", "ev-ops2").ok();

        List<JsonObject> events = jsonEventsOnce("restart", since, "container=" + id);
        assertThat(events).allMatch(e -> e.getString("Type").equals("container") && e.getJsonObject("Actor").getString("ID").equals(id));
        assertThat(actions(events)).containsSubsequence("create", "start", "pause", "unpause", "rename", "top", "update",
                "kill", "resize", "extract-to-dir", "archive-path", "export", "pause", "commit", "unpause", "kill", "die", "stop",
                "start", "restart");
        assertThat(theOne(events, "rename", Map.of("oldName", "/ev-ops", "name", "ev-ops2", "team", "ops", "image", "busybox")))
                .isNotNull();
        String execId = (String) attributes(theOne(events, "exec_create: sh -c exit 3", Map.of())).get("execID");
        assertThat(execId).matches("[0-9a-f]{64}");
        theOne(events, "exec_start: sh -c exit 3", Map.of("execID", execId));
        theOne(events, "exec_die", Map.of("execID", execId, "exitCode", "3"));
        theOne(events, "kill", Map.of("signal", "10"));
        theOne(events, "resize", Map.of("height", "30", "width", "100"));
        theOne(events, "commit", Map.of("comment", "ev note", "imageID", image, "imageRef", "ev-committed:1"));
        berth.docker("rm", "-f", "ev-ops2").ok();
        berth.docker("rmi", "ev-committed:1").ok();
    }

    @Test
    void anOomKillAndHealthChangesAreAnnounced() throws Exception {
        String since = secondsAgo(1);
        String oom = berth.docker("create", "-m", "8m", "busybox", "dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1")
                .ok().trim();
        assertThat(berth.docker("start", "-a", oom).exitCode()).isEqualTo(137);
        assertThat(actions(jsonEventsOnce("die", since, "container=" + oom))).containsSubsequence("start", "oom", "die");

        String checked = berth.docker("run", "-d", "--health-cmd", "true", "--health-interval", "300ms", "busybox", "sleep", "600")
                .ok().trim();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<JsonObject> events;
        do {
            assertThat(System.nanoTime()).as("a health_status event").isLessThan(deadline);
            Thread.sleep(200);
            events = jsonEvents(since, "container=" + checked);
        } while (!actions(events).contains("health_status: healthy"));
        // The probe ran as an exec, announced as dockerd announces its probes.
        List<String> seen = actions(events);
        JsonObject probe = events.stream().filter(e -> e.getString("Action").equals("exec_create: /bin/sh -c true")).findFirst()
                .orElseThrow(() -> new AssertionError("no probe exec_create among " + seen));
        theOne(events, "exec_die", Map.of("execID", (String) attributes(probe).get("execID"), "exitCode", "0"));
        berth.docker("rm", "-f", oom, checked).ok();
    }

    @Test
    void imageEventsOfImportCommitBuildSaveLoadAndPrune() throws Exception {
        String since = secondsAgo(1);
        Path dir = Files.createTempDirectory("ev-img");
        try {
            berth.docker("create", "--name", "ev-src", "busybox", "true").ok();
            berth.docker("export", "-o", dir.resolve("rootfs.tar").toString(), "ev-src").ok();
            String imported = berth.docker("import", dir.resolve("rootfs.tar").toString(), "ev-imported:1").ok().trim();
            String committed = berth.docker("commit", "ev-src", "ev-committed:2").ok().trim();
            Files.writeString(dir.resolve("Dockerfile"), "FROM busybox\nLABEL ev=built\nRUN true\n");
            berth.docker("build", "-q", "-t", "ev-built:1", dir.toString()).ok();
            berth.docker("save", "-o", dir.resolve("saved.tar").toString(), "ev-imported:1").ok();
            berth.docker("rmi", "ev-imported:1").ok();
            berth.docker("load", "-i", dir.resolve("saved.tar").toString()).ok();
            berth.docker("rm", "ev-src").ok();
            berth.docker("rmi", "ev-imported:1", "ev-committed:2", "ev-built:1").ok();
            berth.docker("image", "prune", "-f").ok();

            List<JsonObject> events = jsonEventsOnce("prune", since, "type=image");
            assertThat(events).as("tagged at the import and again at the load").filteredOn(e -> e.getString("Action").equals("tag")
                    && "ev-imported:1".equals(attributes(e).get("name"))).hasSize(2);
            assertThat(events.stream().filter(e -> e.getString("Action").equals("import")).toList())
                    .anyMatch(e -> e.getJsonObject("Actor").getString("ID").equals(imported) && imported.equals(attributes(e).get("name")));
            assertThat(events).anyMatch(e -> e.getString("Action").equals("create")
                    && e.getJsonObject("Actor").getString("ID").equals(committed));
            JsonObject built = theOne(events, "tag", Map.of("name", "ev-built:1", "ev", "built"));
            assertThat(events).as("the built image was created before it was tagged").anyMatch(e -> e.getString("Action").equals("create")
                    && e.getJsonObject("Actor").getString("ID").equals(built.getJsonObject("Actor").getString("ID")));
            assertThat(actions(events)).containsSubsequence("import", "create", "tag", "save", "untag", "load", "untag", "delete",
                    "prune");
            assertThat(attributes(theOne(events, "prune", Map.of())).get("reclaimed")).asString().matches("[0-9]+");
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void volumesAreCreatedMountedUnmountedAndDestroyed() throws Exception {
        String since = secondsAgo(1);
        berth.docker("volume", "create", "ev-vol").ok();
        String id = berth.docker("run", "-d", "-v", "ev-vol:/data:ro", "busybox", "true").ok().trim();
        assertThat(berth.docker("wait", id).ok().trim()).isEqualTo("0");
        berth.docker("rm", id).ok();
        berth.docker("volume", "rm", "ev-vol").ok();
        berth.docker("volume", "prune", "-f").ok();
        List<JsonObject> events = jsonEvents(since, "type=volume");
        assertThat(actions(events)).containsSubsequence("create", "mount", "unmount", "destroy", "prune");
        theOne(events, "create", Map.of("driver", "local"));
        theOne(events, "mount", Map.of("driver", "local", "container", id, "destination", "/data", "read/write", "false",
                "propagation", ""));
        theOne(events, "unmount", Map.of("driver", "local", "container", id));
        assertThat(theOne(events, "destroy", Map.of("driver", "local")).getJsonObject("Actor").getString("ID")).isEqualTo("ev-vol");
        assertThat(events).filteredOn(e -> !e.getString("Action").equals("prune"))
                .allMatch(e -> e.getJsonObject("Actor").getString("ID").equals("ev-vol"));
    }

    @Test
    void networksAreCreatedAndDestroyedAndPrunesOfContainersAndNetworksAreAnnounced() throws Exception {
        String since = secondsAgo(1);
        String network = berth.docker("network", "create", "ev-net").ok().trim();
        berth.docker("network", "rm", "ev-net").ok();
        berth.docker("network", "prune", "-f").ok();
        berth.docker("container", "prune", "-f").ok();
        List<JsonObject> events = jsonEvents(since, "type=network");
        assertThat(actions(events)).containsExactly("create", "destroy", "prune");
        assertThat(theOne(events, "create", Map.of("name", "ev-net", "type", "bridge")).getJsonObject("Actor").getString("ID"))
                .isEqualTo(network);
        theOne(events, "destroy", Map.of("name", "ev-net", "type", "bridge"));
        theOne(events, "prune", Map.of("reclaimed", "0"));
        theOne(jsonEvents(since, "type=container", "event=prune"), "prune", Map.of("reclaimed", "0"));
    }

    @Test
    void labelFiltersMatchTheActorsAttributes() throws Exception {
        String since = secondsAgo(1);
        berth.docker("create", "--name", "ev-lab-a", "--label", "team=a", "busybox", "true").ok();
        berth.docker("create", "--name", "ev-lab-b", "--label", "team=b", "busybox", "true").ok();
        String out = berth.docker("events", "--since", since, "--until", now(), "--filter", "label=team=b",
                "--format", "{{.Actor.Attributes.name}}").ok();
        assertThat(lines(out)).containsExactly("ev-lab-b");
        berth.docker("rm", "ev-lab-a", "ev-lab-b").ok();
    }

    @Test
    void aFollowerSeesEventsAsTheyHappenAndCounts() throws Exception {
        Process events = berth.dockerProcess("events", "--filter", "container=ev-live", "--format", "{{.Action}}");
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8));
            // The follower is subscribed once /info counts it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!berth.docker("info", "--format", "{{.NEventsListener}}").ok().trim().equals("1")) {
                assertThat(System.nanoTime()).as("docker info counts the follower").isLessThan(deadline);
                Thread.sleep(50);
            }
            berth.docker("create", "--name", "ev-live", "busybox", "true").ok();
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                try {
                    return reader.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(line.get(20, TimeUnit.SECONDS)).isEqualTo("create");
            assertThat(events.isAlive()).isTrue();
        } finally {
            events.destroy();
            events.waitFor(10, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!berth.docker("info", "--format", "{{.NEventsListener}}").ok().trim().equals("0")) {
            assertThat(System.nanoTime()).as("the follower that left is no longer counted").isLessThan(deadline);
            Thread.sleep(50);
        }
        berth.docker("rm", "ev-live").ok();
    }

    @Test
    void anUnknownFilterOrAMalformedTimeIsRefused() throws Exception {
        CliResult filter = berth.docker("events", "--filter", "colour=red", "--until", now());
        assertThat(filter.exitCode()).isNotZero();
        assertThat(filter.stderr()).contains("invalid filter 'colour'");
        String raw = berth.rawGet("/events?since=yesterday");
        assertThat(raw).startsWith("HTTP/1.0 400").contains("invalid value for since: yesterday");
    }
}
