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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The token service a registry with {@code auth: token} sends clients to: checks Basic
 * credentials and answers a JWT, signed RS256 by a key made for the test (openssl), whose
 * certificate travels in the x5c header and is the registry's rootcertbundle. Users get the
 * actions they ask for; anonymous callers get none.
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

    private TestTokenIssuer(Path dir, String user, String password) throws Exception {
        this.user = user;
        this.password = password;
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

    static TestTokenIssuer start(Path dir, String user, String password) throws Exception {
        return new TestTokenIssuer(dir, user, password);
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

    private void token(HttpExchange exchange) throws IOException {
        String subject = "";
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            String pair = new String(Base64.getDecoder().decode(authorization.substring("Basic ".length())), StandardCharsets.UTF_8);
            if (!pair.equals(user + ":" + password)) {
                reply(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"incorrect username or password\"}]}");
                return;
            }
            subject = user;
        }
        List<String> access = new ArrayList<>();
        String query = exchange.getRequestURI().getRawQuery();
        for (String parameter : query == null ? new String[0] : query.split("&")) {
            if (!parameter.startsWith("scope=") || subject.isEmpty()) {
                continue;
            }
            String[] scope = URLDecoder.decode(parameter.substring(6), StandardCharsets.UTF_8).split(":");
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
        reply(exchange, 200, "{\"token\":\"" + jwt + "\",\"expires_in\":300,\"issued_at\":\"" + Instant.ofEpochSecond(now) + "\"}");
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
