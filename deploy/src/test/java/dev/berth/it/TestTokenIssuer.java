package dev.berth.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The token service a registry with {@code auth: token} sends clients to: checks Basic
 * credentials and answers a JWT, signed RS256 by a key made for the test (openssl), whose
 * certificate travels in the x5c header and is the registry's rootcertbundle. Users get the
 * actions they ask for; anonymous callers get none.
 * <p>
 * Started with {@link #startOAuth}, it also gives refresh tokens (identity tokens) as the
 * distribution token spec describes them: on a GET with {@code offline_token=true}, and through
 * the OAuth2 POST with the {@code password} grant and {@code access_type=offline}; the POST's
 * {@code refresh_token} grant trades one for access tokens. Without it a POST is a 404, as from
 * a token service that has no OAuth2 endpoint.
 */
final class TestTokenIssuer implements AutoCloseable {
    static final String SERVICE = "berth-test-registry";
    static final String ISSUER = "berth-test-issuer";

    private final HttpServer server;
    private final PrivateKey key;
    private final String x5c;
    private final String user;
    private final String password;
    private final AtomicInteger issued = new AtomicInteger();
    private final boolean oauth;
    /** The refresh tokens handed out, by token: the user each stands for. */
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    /** Token requests by kind: "GET basic", "GET anonymous", "POST password", "POST refresh_token", … */
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final List<String> clientIds = new CopyOnWriteArrayList<>();

    private TestTokenIssuer(Path dir, String user, String password, boolean oauth) throws Exception {
        this.user = user;
        this.password = password;
        this.oauth = oauth;
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "token.key", "-out", "token.crt", "-days", "1",
                "-subj", "/CN=berth token issuer");
        openssl(dir, "pkcs8", "-topk8", "-nocrypt", "-in", "token.key", "-out", "token.pk8");
        String pem = Files.readString(dir.resolve("token.pk8")).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        this.key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        X509Certificate cert;
        try (var in = Files.newInputStream(dir.resolve("token.crt"))) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        this.x5c = Base64.getEncoder().encodeToString(cert.getEncoded());
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::token);
        server.start();
    }

    /** An issuer of access tokens only, on GET: a POST is a 404. */
    static TestTokenIssuer start(Path dir, String user, String password) throws Exception {
        return new TestTokenIssuer(dir, user, password, false);
    }

    /** An issuer that also gives refresh tokens and serves the OAuth2 POST grants. */
    static TestTokenIssuer startOAuth(Path dir, String user, String password) throws Exception {
        return new TestTokenIssuer(dir, user, password, true);
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** The registry's auth section for this issuer, its certificate as the root bundle. */
    String registryConfig(Path dir) {
        return "auth:\n  token:\n    realm: " + realm() + "\n    service: " + SERVICE + "\n    issuer: " + ISSUER
                + "\n    rootcertbundle: " + dir.resolve("token.crt") + "\n";
    }

    int issued() {
        return issued.get();
    }

    /** How many token requests of a kind ("GET basic", "POST refresh_token", …) came. */
    int requests(String kind) {
        AtomicInteger count = requests.get(kind);
        return count == null ? 0 : count.get();
    }

    /** The refresh tokens handed out so far. */
    Set<String> refreshTokens() {
        return Set.copyOf(refreshTokens.keySet());
    }

    /** The client_id of every request that named one. */
    List<String> clientIds() {
        return List.copyOf(clientIds);
    }

    private void count(String kind) {
        requests.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    private void token(HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("POST")) {
            post(exchange);
            return;
        }
        String subject = "";
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        count(authorization == null ? "GET anonymous" : "GET basic");
        if (authorization != null) {
            String pair = new String(Base64.getDecoder().decode(authorization.substring("Basic ".length())), StandardCharsets.UTF_8);
            if (!pair.equals(user + ":" + password)) {
                reply(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"incorrect username or password\"}]}");
                return;
            }
            subject = user;
        }
        Map<String, List<String>> query = form(exchange.getRequestURI().getRawQuery());
        query.getOrDefault("client_id", List.of()).forEach(clientIds::add);
        String refresh = null;
        if (oauth && !subject.isEmpty() && query.getOrDefault("offline_token", List.of()).contains("true")) {
            refresh = newRefreshToken(subject);
        }
        issue(exchange, subject, query.getOrDefault("scope", List.of()), "token", refresh);
    }

    /** The OAuth2 POST: the password grant (a refresh token with access_type=offline) and the refresh-token grant. */
    private void post(HttpExchange exchange) throws IOException {
        Map<String, List<String>> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String grant = first(form, "grant_type");
        count("POST " + grant);
        if (!oauth) {
            reply(exchange, 404, "404 page not found\n");
            return;
        }
        String clientId = first(form, "client_id");
        if (clientId.isEmpty()) {
            reply(exchange, 400, "{\"error\":\"invalid_request\",\"error_description\":\"client_id is required\"}");
            return;
        }
        clientIds.add(clientId);
        String subject;
        String refresh = null;
        if (grant.equals("password")) {
            if (!first(form, "username").equals(user) || !first(form, "password").equals(password)) {
                reply(exchange, 401, "{\"error\":\"invalid_grant\",\"error_description\":\"incorrect username or password\"}");
                return;
            }
            subject = user;
            if (first(form, "access_type").equals("offline")) {
                refresh = newRefreshToken(subject);
            }
        } else if (grant.equals("refresh_token")) {
            subject = refreshTokens.get(first(form, "refresh_token"));
            if (subject == null) {
                reply(exchange, 401, "{\"error\":\"invalid_grant\",\"error_description\":\"unknown refresh token\"}");
                return;
            }
        } else {
            reply(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
            return;
        }
        String scopes = first(form, "scope");
        issue(exchange, subject, scopes.isEmpty() ? List.of() : List.of(scopes.split(" ")), "access_token", refresh);
    }

    private String newRefreshToken(String subject) {
        String token = "berth-refresh-" + UUID.randomUUID();
        refreshTokens.put(token, subject);
        return token;
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    private static Map<String, List<String>> form(String raw) {
        Map<String, List<String>> fields = new HashMap<>();
        for (String field : raw == null || raw.isEmpty() ? new String[0] : raw.split("&")) {
            int equals = field.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? field : field.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(field.substring(equals + 1), StandardCharsets.UTF_8);
            fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return fields;
    }

    /** Answers a JWT granting the subject the scopes' actions (none for an anonymous caller) under tokenField. */
    private void issue(HttpExchange exchange, String subject, List<String> scopes, String tokenField, String refresh)
            throws IOException {
        List<String> access = new ArrayList<>();
        for (String text : subject.isEmpty() ? List.<String>of() : scopes) {
            String[] scope = text.split(":");
            if (scope.length == 3) {
                List<String> actions = new ArrayList<>();
                for (String action : scope[2].split(",")) {
                    actions.add("\"" + action + "\"");
                }
                access.add("{\"type\":\"" + scope[0] + "\",\"name\":\"" + scope[1] + "\",\"actions\":[" + String.join(",", actions)
                        + "]}");
            }
        }
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5c\":[\"" + x5c + "\"]}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + subject + "\",\"aud\":\"" + SERVICE + "\",\"exp\":" + (now + 300)
                + ",\"nbf\":" + (now - 10) + ",\"iat\":" + now + ",\"jti\":\"" + UUID.randomUUID() + "\",\"access\":["
                + String.join(",", access) + "]}";
        String jwt;
        try {
            String signingInput = base64Url(header) + "." + base64Url(claims);
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            jwt = signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
        issued.incrementAndGet();
        reply(exchange, 200, "{\"" + tokenField + "\":\"" + jwt + "\",\"expires_in\":300,\"issued_at\":\"" + Instant.ofEpochSecond(now)
                + "\"" + (refresh == null ? "" : ",\"refresh_token\":\"" + refresh + "\"") + "}");
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process openssl = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes());
        if (openssl.waitFor() != 0) {
            throw new AssertionError("openssl failed: " + out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
