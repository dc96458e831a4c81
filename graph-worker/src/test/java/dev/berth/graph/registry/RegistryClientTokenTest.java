package dev.berth.graph.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.image.RegistryAuth;
import dev.berth.graph.content.Digest;
import dev.berth.graph.manifest.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RegistryClient's bearer-token flow against an HTTP server in the test that plays a registry
 * and its token service, as the distribution spec describes them: challenge, token for the
 * scope (with Basic credentials), reuse until expiry, and the registry's refusal.
 */
class RegistryClientTokenTest {
    private static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] BLOB = "layer bytes".getBytes(StandardCharsets.UTF_8);

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    private static final String REFRESH = "refresh-for-alice";
    private HttpServer server;
    private String domain;
    private int issued;
    private volatile boolean oauth = true;
    private volatile boolean refreshOnGet;

    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        domain = "127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/token", this::token);
        server.createContext("/v2/", this::registry);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /**
     * The token service: dockerd's GET with Basic credentials (a refresh token when
     * offline_token=true and refreshOnGet), and, when oauth is on, the OAuth2 POST with the
     * password and refresh-token grants; without it a POST is the spec's 404.
     */
    private synchronized void token(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (exchange.getRequestMethod().equals("POST")) {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            tokenRequests.add("POST " + form + (authorization == null ? "" : " with " + authorization));
            if (!oauth) {
                reply(exchange, 404, "404 page not found");
                return;
            }
            Map<String, String> fields = new HashMap<>();
            for (String field : form.split("&")) {
                int equals = field.indexOf('=');
                fields.put(URLDecoder.decode(field.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(field.substring(equals + 1), StandardCharsets.UTF_8));
            }
            boolean granted = switch (fields.getOrDefault("grant_type", "")) {
                case "password" -> "alice".equals(fields.get("username")) && "pw".equals(fields.get("password"));
                case "refresh_token" -> REFRESH.equals(fields.get("refresh_token"));
                default -> false;
            };
            if (!granted || !"docker".equals(fields.get("client_id"))) {
                reply(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"the grant was refused\"}");
                return;
            }
            issued++;
            String refresh = "offline".equals(fields.get("access_type")) ? ",\"refresh_token\":\"" + REFRESH + "\"" : "";
            reply(exchange, 200, "{\"access_token\":\"tok-" + issued + "\",\"expires_in\":300" + refresh + "}");
            return;
        }
        String query = exchange.getRequestURI().getRawQuery();
        tokenRequests.add(query);
        String expected = "Basic " + Base64.getEncoder().encodeToString("alice:pw".getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(authorization)) {
            reply(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"incorrect username or password\"}]}");
            return;
        }
        issued++;
        String refresh = refreshOnGet && query.contains("offline_token=true") ? ",\"refresh_token\":\"" + REFRESH + "-get\"" : "";
        reply(exchange, 200, "{\"token\":\"tok-" + issued + "\",\"expires_in\":300" + refresh + "}");
    }

    private void registry(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String challenge = "Bearer realm=\"http://" + domain + "/token\",service=\"test-registry\"";
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer tok-")) {
            if (!path.equals("/v2/")) {
                challenge += ",scope=\"repository:team/app:pull\"";
            }
            exchange.getResponseHeaders().add("WWW-Authenticate", challenge);
            reply(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
            return;
        }
        if (path.equals("/v2/team/app/manifests/1") || path.equals("/v2/team/app/manifests/" + Digest.of(MANIFEST))) {
            exchange.getResponseHeaders().add("Content-Type", MediaTypes.DOCKER_MANIFEST);
            reply(exchange, 200, MANIFEST);
        } else if (path.startsWith("/v2/team/app/manifests/sha256:")) {
            exchange.getResponseHeaders().add("Content-Type", MediaTypes.DOCKER_MANIFEST);
            reply(exchange, 200, "{\"schemaVersion\":2,\"tampered\":true}".getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/v2/team/app/blobs/" + Digest.of(BLOB))) {
            reply(exchange, 200, BLOB);
        } else {
            reply(exchange, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}");
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        reply(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private RegistryClient connect(TokenCache tokens, String user, String password) {
        return connect(tokens, new RegistryAuth(user, password, null, null, domain));
    }

    private RegistryClient connect(TokenCache tokens, RegistryAuth credentials) {
        RegistryHosts hosts = new RegistryHosts(new RegistryOptions(List.of(), List.of(), List.of(Path.of("/nonexistent")), 3, 5));
        return RegistryClient.connect(hosts, tokens, domain, credentials);
    }

    @Test
    void aPasswordLoginAsksForARefreshTokenWithDockerdsOfflineGet() throws Exception {
        refreshOnGet = true;
        String identity = connect(new TokenCache(clock), "alice", "pw").checkCredentials();
        assertThat(identity).isEqualTo(REFRESH + "-get");
        assertThat(tokenRequests).hasSize(1);
        assertThat(tokenRequests.get(0)).doesNotStartWith("POST ").contains("offline_token=true", "client_id=docker",
                "service=test-registry", "account=alice");
    }

    @Test
    void aJobWithAnIdentityTokenGetsItsBearerTokensThroughTheRefreshGrant() throws Exception {
        TokenCache tokens = new TokenCache(clock);
        RegistryClient client = connect(tokens, new RegistryAuth("alice", null, REFRESH, null, domain));
        assertThat(client.manifest("team/app", "1", MediaTypes.PULLABLE).bytes()).isEqualTo(MANIFEST);
        try (InputStream blob = client.openBlob("team/app", Digest.of(BLOB), 0).body()) {
            assertThat(blob.readAllBytes()).isEqualTo(BLOB);
        }
        // one grant for the scope, reused; never a GET with a password, never a Basic header
        assertThat(tokenRequests).hasSize(1);
        assertThat(tokenRequests.get(0)).startsWith("POST ").contains("grant_type=refresh_token",
                "refresh_token=" + REFRESH, "client_id=docker", "scope=repository%3Ateam%2Fapp%3Apull")
                .doesNotContain("password", " with ");

        now.set(now.get().plusSeconds(301));
        client.manifest("team/app", "1", MediaTypes.PULLABLE);
        assertThat(tokenRequests).hasSize(2);
        assertThat(tokenRequests.get(1)).contains("grant_type=refresh_token");
    }

    @Test
    void aLoginWithAnIdentityTokenChecksItAndAnswersIt() throws Exception {
        assertThat(connect(new TokenCache(clock), new RegistryAuth("alice", null, REFRESH, null, domain)).checkCredentials())
                .isEqualTo(REFRESH);
        assertThatThrownBy(() -> connect(new TokenCache(clock), new RegistryAuth("alice", null, "stolen", null, domain))
                .checkCredentials())
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHENTICATED))
                .hasMessageContaining("invalid_grant: the grant was refused");
    }

    @Test
    void aServiceThatGivesNoRefreshTokenLogsInWithoutAnIdentityToken() throws Exception {
        oauth = false;
        refreshOnGet = false;
        assertThat(connect(new TokenCache(clock), "alice", "pw").checkCredentials()).isNull();
        assertThat(tokenRequests).hasSize(1);
        assertThat(tokenRequests.get(0)).doesNotStartWith("POST ").contains("offline_token=true");
    }

    @Test
    void aWrongPasswordNeverReusesTheTokenOfTheRightOne() throws Exception {
        TokenCache tokens = new TokenCache(clock);
        connect(tokens, "alice", "pw").manifest("team/app", "1", MediaTypes.PULLABLE);
        assertThatThrownBy(() -> connect(tokens, "alice", "wrong").manifest("team/app", "1", MediaTypes.PULLABLE))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHENTICATED));
        assertThatThrownBy(() -> connect(tokens, new RegistryAuth("alice", null, "stolen", null, domain))
                .manifest("team/app", "1", MediaTypes.PULLABLE))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHENTICATED));
    }

    @Test
    void aTokenForTheScopeIsFetchedOnceAndReusedUntilItExpires() throws Exception {
        TokenCache tokens = new TokenCache(clock);
        RegistryClient client = connect(tokens, "alice", "pw");
        RegistryClient.Fetched manifest = client.manifest("team/app", "1", MediaTypes.PULLABLE);
        assertThat(manifest.bytes()).isEqualTo(MANIFEST);
        assertThat(manifest.digest()).isEqualTo(Digest.of(MANIFEST));
        assertThat(tokenRequests).hasSize(1);
        assertThat(tokenRequests.get(0)).contains("service=test-registry").contains("scope=repository%3Ateam%2Fapp%3Apull")
                .contains("account=alice");

        try (InputStream blob = client.openBlob("team/app", Digest.of(BLOB), 0).body()) {
            assertThat(blob.readAllBytes()).isEqualTo(BLOB);
        }
        assertThat(tokenRequests).hasSize(1);

        now.set(now.get().plusSeconds(301));
        client.manifest("team/app", "1", MediaTypes.PULLABLE);
        assertThat(tokenRequests).hasSize(2);
    }

    @Test
    void aManifestFetchedByDigestMustHaveThatDigest() {
        RegistryClient client = connect(new TokenCache(clock), "alice", "pw");
        String wrong = "sha256:" + "a".repeat(64);
        assertThatThrownBy(() -> client.manifest("team/app", wrong, MediaTypes.PULLABLE))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessage("manifest verification failed for digest " + wrong);
    }

    @Test
    void wrongCredentialsAreTheRegistrysUnauthorized() {
        RegistryClient client = connect(new TokenCache(clock), "alice", "wrong");
        assertThatThrownBy(client::checkCredentials)
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHENTICATED))
                .hasMessageContaining("unauthorized: incorrect username or password");
        assertThatThrownBy(() -> client.manifest("team/app", "1", MediaTypes.PULLABLE))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHENTICATED));
    }

    @Test
    void anUnknownTagIsNotFoundInTheRegistrysWords() {
        RegistryClient client = connect(new TokenCache(clock), "alice", "pw");
        assertThatThrownBy(() -> client.manifest("team/app", "nosuch", MediaTypes.PULLABLE))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessage("manifest unknown: manifest unknown");
    }
}
