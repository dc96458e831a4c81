package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile and malformed requests on every route the gateway serves. None may answer 500 or drop
 * the connection; each answers the status dockerd gives for the case with Docker's
 * {"message": "..."}, and none may create or lose a container or an image.
 */
class BadInputIT {
    private static final String JSON = "application/json";
    private static final String LONG = "a".repeat(5000);
    /** Path segments that name nothing, or that a careless decoder trips over. */
    private static final List<String> ODD_IDS = List.of("nope", "%00", "a%2Fb", "%2E%2E", "%ZZ", "%FF%FE", "a%20b", LONG);

    private static BerthDaemon berth;
    private static String running;
    private static String created;
    private static String exited;

    private final List<String> failures = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        berth = BerthDaemon.start();
        berth.loadBusybox();
        running = berth.docker("run", "-d", "--name", "bad-running", "busybox", "sleep", "300").ok().trim();
        created = berth.docker("create", "--name", "bad-created", "busybox", "true").ok().trim();
        exited = berth.docker("create", "--name", "bad-exited", "busybox", "true").ok().trim();
        berth.docker("start", "-a", exited).ok();
    }

    @AfterAll
    static void stop() throws Exception {
        if (berth != null) {
            berth.close();
        }
    }

    /** One answer: status (0 = the connection closed without one), and the body, de-chunked. */
    private record Answer(int status, String body, String raw) {
        static Answer of(String raw) {
            if (raw.isEmpty()) {
                return new Answer(0, "", raw);
            }
            int headEnd = raw.indexOf("\r\n\r\n");
            String head = headEnd < 0 ? raw : raw.substring(0, headEnd);
            String body = headEnd < 0 ? "" : raw.substring(headEnd + 4);
            if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new Answer(Integer.parseInt(raw.substring(9, 12)), body, raw);
        }

        private static String dechunk(String chunked) {
            StringBuilder out = new StringBuilder();
            int at = 0;
            while (at < chunked.length()) {
                int eol = chunked.indexOf("\r\n", at);
                if (eol < 0) {
                    break;
                }
                int size = Integer.parseInt(chunked.substring(at, eol).trim(), 16);
                if (size == 0) {
                    break;
                }
                out.append(chunked, eol + 2, Math.min(chunked.length(), eol + 2 + size));
                at = eol + 2 + size + 2;
            }
            return out.toString();
        }
    }

    private Answer send(String method, String path, String contentType, byte[] body) throws Exception {
        return Answer.of(berth.rawRequest(method, path, contentType, body));
    }

    /**
     * Sends one request and records a failure unless its status is one of {@code expected} and,
     * for an error, the body is Docker's {"message": "..."} with a message.
     */
    private void expect(String method, String path, String body, int... expected) throws Exception {
        expectBytes(method, path, JSON, body == null ? null : body.getBytes(StandardCharsets.UTF_8), expected);
    }

    private void expectBytes(String method, String path, String contentType, byte[] body, int... expected) throws Exception {
        String what = method + " " + (path.length() > 120 ? path.substring(0, 120) + "…" : path)
                + (body == null ? "" : " " + abbreviate(new String(body, StandardCharsets.UTF_8)));
        check(what, () -> send(method, path, contentType, body), expected);
    }

    @FunctionalInterface
    private interface Exchange {
        Answer run() throws Exception;
    }

    /** Records a failure unless the exchange answers within 30 s, with one of the statuses and Docker's error body. */
    private void check(String what, Exchange exchange, int... expected) throws Exception {
        Answer answer;
        try {
            answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return exchange.run();
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }).get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            failures.add(what + ": no answer within 30 s");
            return;
        }
        if (answer.status() == 0) {
            failures.add(what + ": connection closed without an answer");
            return;
        }
        if (Arrays.stream(expected).noneMatch(s -> s == answer.status())) {
            failures.add(what + ": status " + answer.status() + ", expected " + Arrays.toString(expected) + ": "
                    + abbreviate(answer.body()));
            return;
        }
        if (answer.status() >= 400) {
            String message;
            try {
                message = new JsonObject(answer.body()).getString("message");
            } catch (RuntimeException e) {
                failures.add(what + ": " + answer.status() + " without Docker's JSON error: " + abbreviate(answer.body()));
                return;
            }
            if (message == null || message.isBlank()) {
                failures.add(what + ": " + answer.status() + " with an empty message: " + answer.body());
            }
        }
    }

    private static String abbreviate(String text) {
        String flat = text.replace("\n", "\\n").replace("\0", "\\0");
        return flat.length() > 160 ? flat.substring(0, 160) + "…" : flat;
    }

    private Set<String> snapshot(String... args) throws Exception {
        return new TreeSet<>(Arrays.asList(berth.docker(args).ok().trim().split("\\s+")));
    }

    @Test
    void no_malformed_request_is_a_500_a_dropped_connection_or_a_change() throws Exception {
        Set<String> containers = snapshot("ps", "-aq", "--no-trunc");
        Set<String> images = snapshot("images", "-q", "--no-trunc");

        createBodies();
        createQueries();
        lifecycleInTheWrongState();
        unknownAndOddIds();
        badQueryParameters();
        imageCalls();
        networkCalls();
        systemSwarmAndPlugins();
        wrongMethodsAndVersions();
        malformedHttp();

        assertThat(failures).as("requests answered wrongly:\n" + String.join("\n", failures)).isEmpty();
        assertThat(berth.rawGet("/_ping")).as("the daemon still answers").contains("200 OK");
        assertThat(snapshot("ps", "-aq", "--no-trunc")).as("containers after the battery").isEqualTo(containers);
        assertThat(snapshot("images", "-q", "--no-trunc")).as("images after the battery").isEqualTo(images);
        assertThat(berth.docker("inspect", "-f", "{{.State.Status}}", running).ok().trim()).isEqualTo("running");
    }

    private void createBodies() throws Exception {
        String create = "/containers/create";
        // Not an object at all: dockerd cannot decode a Config from these.
        for (String body : List.of("[]", "\"x\"", "1", "null", "true", "{", "{\"Image\":", "{\"Image\":\"busybox\",}",
                "\u0000", "{\"Image\":\"busybox\"}garbage")) {
            expect("POST", create, body, 400);
        }
        expect("POST", create, "", 400);
        expect("POST", create, null, 400);
        expect("POST", create, "[".repeat(100_000) + "]".repeat(100_000), 400);
        expect("POST", create, "{\"Image\":" + "[".repeat(5000) + "]".repeat(5000) + "}", 400);
        expect("POST", create, "{\"Image\":\"busybox\",\"StopTimeout\":" + "9".repeat(400) + "}", 400);
        expect("POST", create, "{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":1e400}}", 400);
        expect("POST", create, "{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":99999999999999999999999}}", 400);
        expect("POST", create, "{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":1.5}}", 400);
        // A field of the wrong JSON type is a 400 naming it, never a create.
        List<String> wrongFields = List.of(
                "\"Image\":123", "\"Image\":[]", "\"Image\":{}", "\"Image\":true",
                "\"Cmd\":123", "\"Cmd\":{\"a\":1}", "\"Cmd\":[1,2]", "\"Cmd\":[null]", "\"Cmd\":[[\"x\"]]",
                "\"Entrypoint\":5", "\"Entrypoint\":[{}]",
                "\"Env\":\"A=B\"", "\"Env\":[1]", "\"Env\":{\"A\":\"B\"}",
                "\"Labels\":[\"a\"]", "\"Labels\":{\"a\":1}", "\"Labels\":\"a=b\"", "\"Labels\":{\"a\":{}}",
                "\"Tty\":\"yes\"", "\"OpenStdin\":1", "\"User\":7", "\"WorkingDir\":[]", "\"WorkingDir\":\"relative\"",
                "\"Hostname\":{}", "\"StopSignal\":1", "\"StopSignal\":\"NOPE\"", "\"StopTimeout\":\"10\"",
                "\"ExposedPorts\":[]", "\"ExposedPorts\":{\"80/tcp\":1}", "\"Healthcheck\":\"x\"", "\"Volumes\":[]",
                "\"HostConfig\":\"x\"", "\"HostConfig\":[]", "\"HostConfig\":1",
                "\"HostConfig\":{\"Memory\":\"lots\"}", "\"HostConfig\":{\"Memory\":-5}", "\"HostConfig\":{\"Binds\":\"x\"}",
                "\"HostConfig\":{\"Binds\":[1]}", "\"HostConfig\":{\"PortBindings\":[]}",
                "\"HostConfig\":{\"PortBindings\":{\"80/tcp\":\"x\"}}", "\"HostConfig\":{\"RestartPolicy\":\"always\"}",
                "\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"sometimes\"}}", "\"HostConfig\":{\"NetworkMode\":1}",
                "\"HostConfig\":{\"NetworkMode\":\"nosuchnet\"}", "\"HostConfig\":{\"AutoRemove\":\"yes\"}",
                "\"HostConfig\":{\"Privileged\":\"true\"}", "\"HostConfig\":{\"CapAdd\":\"ALL\"}",
                "\"HostConfig\":{\"Dns\":\"1.1.1.1\"}", "\"HostConfig\":{\"LogConfig\":\"json\"}",
                "\"HostConfig\":{\"LogConfig\":{\"Type\":\"nope\"}}", "\"HostConfig\":{\"Ulimits\":{}}",
                "\"HostConfig\":{\"ShmSize\":\"1g\"}", "\"HostConfig\":{\"Mounts\":{}}", "\"HostConfig\":{\"Mounts\":[1]}",
                "\"HostConfig\":{\"Tmpfs\":[]}", "\"HostConfig\":{\"ConsoleSize\":\"x\"}",
                "\"HostConfig\":{\"Sysctls\":[]}", "\"HostConfig\":{\"ExtraHosts\":{}}",
                "\"NetworkingConfig\":\"x\"", "\"NetworkingConfig\":[]", "\"NetworkingConfig\":{\"EndpointsConfig\":[]}",
                "\"NetworkingConfig\":{\"EndpointsConfig\":{\"bridge\":1}}",
                "\"NetworkingConfig\":{\"EndpointsConfig\":{\"bridge\":{\"Aliases\":\"x\"}}}",
                "\"NetworkingConfig\":{\"EndpointsConfig\":{\"nosuchnet\":{}}}");
        for (String field : wrongFields) {
            String body = field.startsWith("\"Image\"") ? "{" + field + "}" : "{\"Image\":\"busybox\"," + field + "}";
            // 404 only where dockerd looks a network up before it checks the rest.
            expect("POST", create, body, field.contains("nosuchnet") ? new int[] {400, 404} : new int[] {400});
        }
        expect("POST", create, "{}", 400);
        expect("POST", create, "{\"Image\":\"\"}", 400);
        expect("POST", create, "{\"Image\":\"nosuchimage\"}", 404);
        expect("POST", create, "{\"Image\":\"UPPER\"}", 400);
        expect("POST", create, "{\"Image\":\"bad image\"}", 400);
        expect("POST", create, "{\"Image\":\"busybox@sha256:00\"}", 400);
        expect("POST", create, "{\"Image\":\"" + "x".repeat(5000) + "\"}", 400, 404);
        expectBytes("POST", create, "text/plain", "{\"Image\":\"busybox\",\"Cmd\":7}".getBytes(StandardCharsets.UTF_8), 400);
        expectBytes("POST", create, JSON, new byte[] {(byte) 0xff, (byte) 0xfe, '{', '}'}, 400);
    }

    private void createQueries() throws Exception {
        String body = "{\"Image\":\"busybox\"}";
        for (String name : List.of("..", "a%2Fb", "%00", "-x", "a%20b", "%ZZ", "a:b", "bad-running")) {
            expect("POST", "/containers/create?name=" + name, body, name.equals("bad-running") ? new int[] {409} : new int[] {400});
        }
        // Berth runs only the host's platform; another is refused, never ignored.
        expect("POST", "/containers/create?platform=windows/amd64", body, 400);
        expect("POST", "/containers/create?platform=linux/s390x", body, 400);
    }

    private void lifecycleInTheWrongState() throws Exception {
        String c = "/containers/";
        expect("POST", c + running + "/start", null, 304);
        expect("POST", c + created + "/stop", null, 304);
        expect("POST", c + exited + "/stop", null, 304);
        expect("POST", c + created + "/kill", null, 409);
        expect("POST", c + exited + "/kill", null, 409);
        expect("DELETE", c + running, null, 409);
        expect("DELETE", c + running + "?force=0", null, 409);
        expect("POST", c + running + "/kill?signal=NOPE", null, 400);
        expect("POST", c + running + "/kill?signal=99999", null, 400);
        expect("POST", c + running + "/kill?signal=-1", null, 400);
        expect("POST", c + running + "/wait?condition=bogus", null, 400);
        expect("POST", c + exited + "/wait?condition=bogus", null, 400);
        expect("POST", c + exited + "/resize?h=10&w=10", null, 409);
        expect("POST", c + created + "/resize?h=10&w=10", null, 409);
        expect("POST", c + running + "/resize?h=abc&w=10", null, 400);
        expect("POST", c + running + "/resize", null, 400);
        expect("POST", c + running + "/resize?h=10", null, 400);
        // dockerd reads h and w with Atoi and hands them to a runtime that ignores them without a tty.
        expect("POST", c + running + "/resize?h=10&w=99999999999999", null, 200, 400);
        expect("POST", c + running + "/resize?h=-1&w=-1", null, 200, 400);
        // No attach to a stopped container here: as with dockerd, it waits for the next start (docker start -a).
        expect("POST", c + running + "/stop?t=abc", null, 400);
        expect("POST", c + running + "/stop?t=99999999999999", null, 400);
        expect("POST", c + running + "/restart?t=abc", null, 400);
        expect("POST", c + running + "/stop?signal=NOPE", null, 400);
        expect("POST", c + running + "/restart?signal=NOPE", null, 400);
    }

    private void unknownAndOddIds() throws Exception {
        for (String id : ODD_IDS) {
            String c = "/containers/" + id;
            // %ZZ cannot be decoded at all (400); every other odd id names no container (404).
            int[] status = id.equals("%ZZ") ? new int[] {400} : new int[] {404};
            // dockerd parses an image name before it looks it up: a name no reference can hold is a 400.
            int[] imageStatus = id.equals("nope") || id.equals("a%2Fb") || id.equals("%2E%2E") || id.equals(LONG)
                    ? new int[] {400, 404} : new int[] {400};
            expect("GET", c + "/json", null, status);
            expect("POST", c + "/start", null, status);
            expect("POST", c + "/stop", null, status);
            expect("POST", c + "/restart", null, status);
            expect("POST", c + "/kill", null, status);
            expect("POST", c + "/resize?h=1&w=1", null, status);
            expect("POST", c + "/wait", null, status);
            expect("POST", c + "/attach?stream=1&stdout=1", null, status);
            expect("DELETE", c + "?force=1", null, status);
            expect("GET", c + "/logs?stdout=1", null, status);
            String i = "/images/" + id;
            expect("GET", i + "/json", null, imageStatus);
            expect("GET", i + "/history", null, imageStatus);
            expect("GET", i + "/get", null, imageStatus);
            expect("POST", i + "/tag?repo=x", null, imageStatus);
            expect("DELETE", i, null, imageStatus);
            expect("GET", "/networks/" + id, null, status);
            expect("GET", "/images/get?names=" + id, null, imageStatus);
        }
        // An empty segment: Vert.x cleans the path (dockerd's mux redirects to the clean one).
        expect("GET", "/containers//json", null, 200, 301, 404);
        expect("GET", "/containers/../json", null, 404);
        expect("GET", "/images/json/json", null, 404);
        // The router decodes a path value once: a '%' left after that is part of the name.
        expect("GET", "/images/a%25zz/json", null, 400);
        expect("GET", "/images/busybox%253Alatest/json", null, 400);
        ambiguousPrefix();
    }

    /** A prefix that two containers share names neither: dockerd refuses it (400 in Docker 28). */
    private void ambiguousPrefix() throws Exception {
        List<String> ids = new ArrayList<>(snapshot("ps", "-aq", "--no-trunc"));
        for (int a = 0; a < ids.size(); a++) {
            for (int b = a + 1; b < ids.size(); b++) {
                int common = 0;
                while (ids.get(a).charAt(common) == ids.get(b).charAt(common)) {
                    common++;
                }
                if (common > 0) {
                    expect("GET", "/containers/" + ids.get(a).substring(0, common) + "/json", null, 400, 404);
                    return;
                }
            }
        }
    }

    private void badQueryParameters() throws Exception {
        String list = "/containers/json";
        expect("GET", list + "?all=maybe", null, 200);
        expect("GET", list + "?limit=-5", null, 200);
        expect("GET", list + "?limit=abc", null, 400);
        expect("GET", list + "?limit=99999999999999", null, 400);
        expect("GET", list + "?size=maybe", null, 200, 400);
        for (String filters : badFilters()) {
            expect("GET", list + "?filters=" + filters, null, 400);
            expect("GET", "/images/json?filters=" + filters, null, 400);
            expect("GET", "/networks?filters=" + filters, null, 400);
            expect("GET", "/plugins?filters=" + filters, null, 400);
        }
        // dockerd decodes null as "no values" and a null boolean as false, which still counts.
        expect("GET", list + "?filters=" + enc("{\"label\":null}"), null, 200);
        expect("GET", list + "?filters=" + enc("{\"label\":{\"a\":null}}"), null, 200, 400);
        expect("GET", list + "?filters=" + enc("{\"status\":{\"bogus\":true}}"), null, 400);
        expect("GET", list + "?filters=" + enc("{\"nope\":{\"x\":true}}"), null, 400);
        expect("GET", list + "?filters=" + enc("{\"exited\":{\"abc\":true}}"), null, 400);
        expect("GET", list + "?filters=" + enc("{\"health\":{\"bogus\":true}}"), null, 400);
        expect("GET", list + "?filters=" + enc("{\"before\":{\"nope\":true}}"), null, 400, 404);
        expect("GET", "/images/json?filters=" + enc("{\"dangling\":{\"maybe\":true}}"), null, 400);
        expect("GET", "/images/json?filters=" + enc("{\"before\":{\"nope\":true}}"), null, 400, 404);
        expect("GET", "/images/json?filters=" + enc("{\"nope\":{\"x\":true}}"), null, 400);
        expect("GET", "/networks?filters=" + enc("{\"type\":{\"bogus\":true}}"), null, 400);
        expect("GET", "/networks?filters=" + enc("{\"dangling\":{\"maybe\":true}}"), null, 400);

        String logs = "/containers/" + created + "/logs";
        expect("GET", logs + "?stdout=1&tail=x", null, 200);
        expect("GET", logs + "?stdout=1&tail=-99999999999999", null, 200);
        expect("GET", logs + "?stdout=1&since=notatime", null, 400);
        expect("GET", logs + "?stdout=1&until=notatime", null, 400);
        expect("GET", logs + "?stdout=1&since=" + "9".repeat(40), null, 400);
        expect("GET", logs + "?stdout=1&since=1e99", null, 400);
        expect("GET", logs + "?stdout=1&since=2026-13-45T99:99:99Z", null, 400);
        expect("GET", logs, null, 400);
        expect("GET", logs + "?stdout=1&details=1", null, 200);
        expect("GET", "/events?since=notatime&until=1", null, 400);
        expect("GET", "/events?until=1&filters=" + enc("{\"colour\":{\"red\":true}}"), null, 400);
        expect("GET", "/events?until=1&filters=" + enc("[1]"), null, 400);
        expect("GET", "/berth/events/ws", null, 400);
        expect("GET", "/containers/" + running + "/logs?stdout=maybe&follow=0", null, 200);
        expect("GET", "/containers/json?a=%ZZ", null, 400);
        expect("GET", "/containers/json?%", null, 200, 400);
    }

    private static List<String> badFilters() {
        return List.of("notjson", enc("{\"label\":\"x\"}"), enc("{\"label\":{\"a\":\"yes\"}}"), enc("{\"label\":{\"a\":1}}"),
                enc("{\"label\":[1,{}]}"), enc("[]"), enc("\"x\""), "%7B");
    }

    private static String enc(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private void imageCalls() throws Exception {
        expect("GET", "/images/nosuch/json", null, 404);
        expect("GET", "/images/nosuch:tag/history", null, 404);
        expect("GET", "/images/sha256:0000/json", null, 404);
        expect("GET", "/images/get?names=nosuch", null, 404);
        expect("GET", "/images/get", null, 200, 400);
        expect("POST", "/images/nosuch/tag?repo=x&tag=y", null, 404);
        expect("POST", "/images/busybox/tag", null, 400);
        expect("POST", "/images/busybox/tag?repo=UPPER", null, 400);
        expect("POST", "/images/busybox/tag?repo=ok&tag=bad%20tag", null, 400);
        expect("POST", "/images/busybox/tag?repo=ok&tag=" + "t".repeat(200), null, 400);
        expect("POST", "/images/busybox/tag?repo=ok%40sha256%3A00", null, 400);
        expect("POST", "/images/busybox/tag?repo=sha256:" + "a".repeat(64), null, 400);
        expect("DELETE", "/images/nosuch", null, 404);
        expect("DELETE", "/images/nosuch?force=1", null, 404);
        expect("DELETE", "/images/busybox", null, 409);
        expect("DELETE", "/images/busybox?force=0&noprune=maybe", null, 409);
        expect("POST", "/images/create", null, 400, 501);
        expect("POST", "/images/create?fromImage=127.0.0.1:1/nosuch&tag=1", null, 503);
        expect("POST", "/images/create?fromImage=UPPER", null, 400, 404);
        expect("POST", "/images/create?fromSrc=-", "", 400, 501);
        expectBytes("POST", "/images/load", "application/x-tar", "this is not a tar".getBytes(StandardCharsets.UTF_8), 400);
        expectBytes("POST", "/images/load", "application/x-tar", new byte[0], 400);
        expectBytes("POST", "/images/load", "application/x-tar", null, 400);
        byte[] noise = new byte[64 * 1024];
        new Random(7).nextBytes(noise);
        expectBytes("POST", "/images/load?quiet=1", "application/x-tar", noise, 400);
        expectBytes("POST", "/images/load", "application/json", "{}".getBytes(StandardCharsets.UTF_8), 400);
    }

    private void networkCalls() throws Exception {
        expect("GET", "/networks/nosuch", null, 404);
        // dockerd reads verbose with strconv.ParseBool, stricter than its other booleans.
        expect("GET", "/networks/bridge?verbose=maybe", null, 400);
        expect("GET", "/networks/bridge?scope=bogus", null, 200, 400, 404);
        // Bad create bodies are refused and create nothing (the battery checks networks after).
        for (String body : List.of("{\"Name\":1}", "{}", "[]", "{\"Name\":\"\"}", "{\"Name\":\"bridge\"}",
                "{\"Name\":\"b1\",\"Driver\":\"overlay\"}", "{\"Name\":\"b1\",\"IPAM\":{\"Config\":[{\"Subnet\":\"10.1.2.0/33\"}]}}",
                "{\"Name\":\"b1\",\"IPAM\":{\"Config\":[{\"Subnet\":\"x\"}]}}",
                "{\"Name\":\"b1\",\"IPAM\":{\"Config\":[{\"Subnet\":\"10.251.7.0/24\",\"Gateway\":\"10.9.9.9\"}]}}",
                "{\"Name\":\"b1\",\"Options\":{\"com.docker.network.bridge.name\":\"bad/name\"}}",
                "{\"Name\":\"b1\",\"Options\":{\"com.docker.network.driver.mtu\":\"1400\"}}",
                "{\"Name\":\"b1\",\"EnableIPv6\":true}", "{\"Name\":\"b1\",\"Ingress\":true}")) {
            expect("POST", "/networks/create", body, 400, 403);
        }
        expect("POST", "/networks/prune?filters=" + enc("{\"bogus\":{\"x\":true}}"), null, 400);
        expect("DELETE", "/networks/bridge", null, 403);
        expect("DELETE", "/networks/nosuch", null, 404);
        assertThat(berth.docker("network", "ls", "-q").ok().lines().count()).as("networks after the battery").isEqualTo(3);
    }

    private void systemSwarmAndPlugins() throws Exception {
        expect("GET", "/_ping", null, 200);
        expect("HEAD", "/_ping", null, 200);
        expect("GET", "/version?x=%ZZ", null, 200, 400);
        expect("GET", "/info", null, 200);
        expect("GET", "/berth/jobs?limit=abc", null, 200, 400);
        for (String path : List.of("/swarm", "/swarm/unlockkey", "/services", "/services/x", "/nodes", "/nodes/%00",
                "/tasks", "/secrets", "/secrets/" + LONG, "/configs", "/services/x/logs?tail=x")) {
            expect("GET", path, null, 503);
        }
        for (String path : List.of("/swarm/update?version=abc", "/swarm/unlock", "/services/create", "/services/x/update",
                "/secrets/create", "/configs/create")) {
            expect("POST", path, "[]", 503);
        }
        expect("POST", "/swarm/init", "{\"ListenAddr\":1}", 503);
        expect("POST", "/swarm/join", "nonsense", 503);
        expect("POST", "/swarm/leave?force=maybe", null, 503);
        expect("DELETE", "/services/x", null, 503);
        expect("DELETE", "/nodes/x?force=1", null, 503);
        expect("GET", "/plugins", null, 200);
        expect("GET", "/plugins?filters=" + enc("{\"enabled\":{\"maybe\":true}}"), null, 400);
        expect("GET", "/plugins?filters=" + enc("{\"nope\":{\"x\":true}}"), null, 400);
        expect("GET", "/plugins/privileges?remote=x", null, 400, 404, 501);
        expect("POST", "/plugins/pull?remote=x", "[]", 400, 404, 501);
        expect("POST", "/plugins/create?name=x", "not a tar", 400, 404, 501);
        for (String name : List.of("nosuch", "%00", "a%2Fb", LONG)) {
            expect("GET", "/plugins/" + name + "/json", null, 404);
            expect("DELETE", "/plugins/" + name, null, 404);
            for (String action : List.of("enable", "disable", "upgrade", "push", "set")) {
                expect("POST", "/plugins/" + name + "/" + action, "{]", 404);
            }
        }
    }

    /** Requests the HTTP decoder itself refuses still get Docker's JSON error, not an empty body. */
    private void malformedHttp() throws Exception {
        String create = "POST /containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n";
        for (String length : List.of("abc", "-1", "99999999999999999999")) {
            String request = create + "Content-Length: " + length + "\r\n\r\n{}";
            check("create with Content-Length: " + length,
                    () -> Answer.of(berth.rawExchange(request.getBytes(StandardCharsets.US_ASCII))), 400);
        }
    }

    private void wrongMethodsAndVersions() throws Exception {
        for (String method : List.of("PUT", "PATCH", "DELETE", "OPTIONS")) {
            expect(method, "/containers/json", null, 404);
            expect(method, "/info", null, 404);
            expect(method, "/_ping", method.equals("DELETE") ? null : "x", 404);
        }
        expect("GET", "/containers/create", null, 404);
        expect("POST", "/containers/json", "{}", 404);
        expect("POST", "/images/json", null, 404);
        expect("GET", "/containers/" + running + "/start", null, 404);
        expect("GET", "/nosuch", null, 404);
        expect("GET", "/v0.1/version", null, 400);
        expect("GET", "/v99.0/info", null, 400);
        expect("GET", "/v1.9999999999999/info", null, 400);
        expect("GET", "/vabc/info", null, 404);
        expect("GET", "/v1.40", null, 404);
        expect("GET", "/" + IntStream.range(0, 100).mapToObj(i -> "x").collect(Collectors.joining("/")), null, 404);
    }
}
