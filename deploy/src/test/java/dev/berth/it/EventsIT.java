package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
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
