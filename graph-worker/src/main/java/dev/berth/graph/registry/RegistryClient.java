package dev.berth.graph.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.image.RegistryAuth;
import dev.berth.graph.content.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * The distribution API of one registry, for one job and its credentials: ping, manifests, blobs,
 * uploads, catalog. Authentication follows the registry's challenge: Basic with the job's
 * credentials, or Bearer with a token from the realm for the request's scopes (anonymous when
 * there are no credentials, through the OAuth2 refresh-token grant when the job carries an
 * identity token), reused through the {@link TokenCache}. Blocking: call it from worker threads.
 */
public final class RegistryClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Until a response's headers arrive; a body is then read as long as it keeps coming. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /**
     * The slowest upload link allowed for: an upload's answer comes only after its body is
     * sent, so its timeout grows with the body (a fixed one capped the size of a pushable layer).
     */
    private static final long SLOWEST_UPLOAD_BYTES_PER_SECOND = 256 * 1024;
    /** How long an insecure registry's HTTPS endpoint may take to answer before plain HTTP is tried. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_SMALL_BODY = 4 << 20;
    /**
     * The OAuth2 client_id of token requests. dockerd's: a token service may bind a refresh
     * token to the client that asked for it, and the CLI's config.json, where the identity token
     * ends up, serves dockerd as well as Berth.
     */
    static final String CLIENT_ID = "docker";

    /** A manifest as the registry sent it: the raw bytes (what its digest is over), the Content-Type and digest. */
    public record Fetched(byte[] bytes, String contentType, Digest digest) {
    }

    /** A blob's body from some offset; length is what remains, -1 when unknown. */
    public record Blob(InputStream body, long length, boolean partial) {
    }

    private final RegistryHosts.Endpoint endpoint;
    private final Duration stallTimeout;
    private final String domain;
    private final RegistryAuth credentials;
    private final TokenCache tokens;
    private volatile AuthChallenge challenge;

    private RegistryClient(RegistryHosts.Endpoint endpoint, Duration stallTimeout, String domain, RegistryAuth credentials,
            TokenCache tokens) {
        this.endpoint = endpoint;
        this.stallTimeout = stallTimeout;
        this.domain = domain;
        this.credentials = credentials == null ? RegistryAuth.NONE : credentials;
        this.tokens = tokens;
    }

    /**
     * Pings the registry's endpoints in order and keeps the first that speaks the API (200, or
     * 401 with its challenge). UNAVAILABLE naming the last failure when none does.
     */
    public static RegistryClient connect(RegistryHosts hosts, TokenCache tokens, String domain, RegistryAuth credentials) {
        return connect(hosts, tokens, domain, credentials, hosts.endpoints(domain));
    }

    /** As {@link #connect(RegistryHosts, TokenCache, String, RegistryAuth)}, over the given endpoints of the domain. */
    public static RegistryClient connect(RegistryHosts hosts, TokenCache tokens, String domain, RegistryAuth credentials,
            List<RegistryHosts.Endpoint> endpoints) {
        IOException last = null;
        for (RegistryHosts.Endpoint endpoint : endpoints) {
            RegistryClient client = new RegistryClient(endpoint, hosts.options().stallTimeout(), domain, credentials, tokens);
            try {
                // A plain HTTP server may never answer a TLS hello: a short wait before trying the next endpoint
                Duration wait = endpoint.insecure() && endpoint.base().getScheme().equals("https") ? PROBE_TIMEOUT
                        : REQUEST_TIMEOUT;
                HttpResponse<byte[]> ping = client.http().send(HttpRequest.newBuilder(endpoint.resolve("/v2/"))
                        .timeout(wait).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (ping.statusCode() == 401) {
                    client.challenge = AuthChallenge.parse(ping.headers().firstValue("WWW-Authenticate").orElse(null));
                    hosts.worked(domain, endpoint);
                    return client;
                }
                if (ping.statusCode() / 100 == 2) {
                    hosts.worked(domain, endpoint);
                    return client;
                }
                last = new IOException("GET " + endpoint.resolve("/v2/") + ": unexpected status " + ping.statusCode());
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException(ErrorKind.UNAVAILABLE, "interrupted while reaching " + domain);
            }
        }
        String why = last == null ? "no endpoint" : describe(last);
        throw new EngineException(ErrorKind.UNAVAILABLE, "Get \"" + endpoints.get(0).resolve("/v2/")
                + "\": " + why);
    }

    /**
     * A failure to reach an endpoint in dockerd's words where Go's differ from the JDK's: a
     * certificate no trusted CA signed is "x509: certificate signed by unknown authority",
     * which says what to do (put the registry's CA in its certs directory) better than PKIX.
     */
    static String describe(IOException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.security.cert.CertPathBuilderException) {
                return "tls: failed to verify certificate: x509: certificate signed by unknown authority";
            }
            if (cause instanceof java.security.cert.CertificateException && cause.getMessage() != null
                    && cause.getMessage().startsWith("No subject alternative")) {
                return "tls: failed to verify certificate: x509: " + cause.getMessage();
            }
        }
        return failure.getMessage() == null ? failure.toString() : failure.getMessage();
    }

    public String domain() {
        return domain;
    }

    public URI base() {
        return endpoint.base();
    }

    private HttpClient http() {
        return endpoint.http();
    }

    public static String pullScope(String repository) {
        return "repository:" + repository + ":pull";
    }

    public static String pushScope(String repository) {
        return "repository:" + repository + ":pull,push";
    }

    // ---- manifests -------------------------------------------------------------------------

    /**
     * A manifest by tag or digest, with the media types a pull accepts. Its digest is computed over
     * the bytes; fetched by digest, a mismatch is refused. NOT_FOUND in dockerd's words when the
     * registry does not have it.
     */
    public Fetched manifest(String repository, String reference, List<String> accept) throws IOException {
        HttpResponse<InputStream> response = send(() -> HttpRequest.newBuilder(
                endpoint.resolve("/v2/" + repository + "/manifests/" + reference))
                .header("Accept", String.join(", ", accept)).GET(), List.of(pullScope(repository)));
        byte[] body = readBounded(response, MAX_SMALL_BODY, "manifest");
        if (response.statusCode() != 200) {
            throw RegistryErrors.of(response.statusCode(), RegistryErrors.describe(response.statusCode(), body));
        }
        Digest digest = Digest.of(body);
        if (Digest.isDigest(reference) && !Digest.parse(reference).equals(digest)) {
            throw EngineException.invalid("manifest verification failed for digest " + reference);
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        return new Fetched(body, type, digest);
    }

    /** Stores a manifest under a tag (or its digest); returns the digest the registry gave it. */
    public Digest putManifest(String repository, String reference, byte[] bytes, String mediaType) throws IOException {
        HttpResponse<InputStream> response = send(() -> HttpRequest.newBuilder(
                endpoint.resolve("/v2/" + repository + "/manifests/" + reference))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)),
                List.of(pushScope(repository)));
        byte[] body = readBounded(response, MAX_SMALL_BODY, "answer");
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw RegistryErrors.of(response.statusCode(), RegistryErrors.describe(response.statusCode(), body));
        }
        return Digest.of(bytes);
    }

    // ---- blobs -----------------------------------------------------------------------------

    /** Opens a blob from offset (Range), following redirects without the registry's Authorization. */
    public Blob openBlob(String repository, Digest digest, long offset) throws IOException {
        HttpResponse<InputStream> response = send(() -> {
            HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint.resolve("/v2/" + repository + "/blobs/" + digest)).GET();
            return offset > 0 ? builder.header("Range", "bytes=" + offset + "-") : builder;
        }, List.of(pullScope(repository)));
        for (int hops = 0; isRedirect(response.statusCode()); hops++) {
            String location = response.headers().firstValue("Location").orElse(null);
            response.body().close();
            if (location == null || hops >= MAX_REDIRECTS) {
                throw new EngineException(ErrorKind.UNAVAILABLE, "blob " + digest + ": bad redirect");
            }
            HttpRequest.Builder next = HttpRequest.newBuilder(response.uri().resolve(location)).timeout(REQUEST_TIMEOUT).GET();
            if (offset > 0) {
                next.header("Range", "bytes=" + offset + "-");
            }
            response = sendOnce(next.build());
        }
        int status = response.statusCode();
        if (status != 200 && status != 206) {
            byte[] body = readBounded(response, MAX_SMALL_BODY, "answer");
            throw RegistryErrors.of(status, RegistryErrors.describe(status, body));
        }
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        return new Blob(StalledBodyGuard.guard(response.body(), stallTimeout, "blob " + digest), length, status == 206);
    }

    /** Whether the repository has the blob (HEAD). */
    public boolean hasBlob(String repository, Digest digest) throws IOException {
        HttpResponse<InputStream> response = send(() -> HttpRequest.newBuilder(
                endpoint.resolve("/v2/" + repository + "/blobs/" + digest)).method("HEAD", HttpRequest.BodyPublishers.noBody()),
                List.of(pushScope(repository)));
        response.body().close();
        if (response.statusCode() == 200) {
            return true;
        }
        if (response.statusCode() == 404) {
            return false;
        }
        throw RegistryErrors.of(response.statusCode(), "HEAD blob " + digest + ": status " + response.statusCode());
    }

    /**
     * Asks the registry to mount a blob from another of its repositories. True when it did (201);
     * false when it started an upload instead (202), which is then cancelled.
     */
    public boolean mountBlob(String repository, Digest digest, String fromRepository) throws IOException {
        HttpResponse<InputStream> response = send(() -> HttpRequest.newBuilder(endpoint.resolve("/v2/" + repository
                + "/blobs/uploads/?mount=" + digest + "&from=" + encode(fromRepository)))
                .POST(HttpRequest.BodyPublishers.noBody()), List.of(pushScope(repository), pullScope(fromRepository)));
        response.body().close();
        if (response.statusCode() == 201) {
            return true;
        }
        if (response.statusCode() == 202) {
            response.headers().firstValue("Location").ifPresent(location -> cancelUpload(response.uri().resolve(location),
                    repository));
        }
        return false;
    }

    /** Uploads a blob whose digest and size are known: POST for a session, then one PUT with the bytes. */
    public void uploadBlob(String repository, Digest digest, long size, Supplier<InputStream> bytes) throws IOException {
        Duration timeout = uploadTimeout(size);
        HttpResponse<InputStream> started = send(() -> HttpRequest.newBuilder(endpoint.resolve("/v2/" + repository
                + "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()), List.of(pushScope(repository)));
        byte[] answer = readBounded(started, MAX_SMALL_BODY, "answer");
        if (started.statusCode() != 202) {
            throw RegistryErrors.of(started.statusCode(), RegistryErrors.describe(started.statusCode(), answer));
        }
        String location = started.headers().firstValue("Location")
                .orElseThrow(() -> new EngineException(ErrorKind.UNAVAILABLE, "the registry started an upload without a Location"));
        URI session = started.uri().resolve(location);
        String separator = session.getQuery() == null ? "?" : "&";
        URI put = URI.create(session + separator + "digest=" + encode(digest.toString()));
        HttpResponse<InputStream> done = send(() -> HttpRequest.newBuilder(put)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(bytes), size)),
                List.of(pushScope(repository)), timeout);
        byte[] body = readBounded(done, MAX_SMALL_BODY, "answer");
        if (done.statusCode() != 201) {
            throw RegistryErrors.of(done.statusCode(), RegistryErrors.describe(done.statusCode(), body));
        }
    }

    /**
     * Uploads a blob whose digest is known only once it is sent (a layer compressed as it
     * streams): POST for a session, PATCH with the bytes (chunked), then PUT with the digest,
     * which digestAfter gives once the body was read. The registry checks the digest itself.
     * {@code maxSize} bounds the body (a compressed layer is no larger than the layer, give or
     * take gzip's framing) and sets how long the upload may take.
     */
    public void uploadStreamed(String repository, long maxSize, Supplier<InputStream> bytes, Supplier<Digest> digestAfter)
            throws IOException {
        HttpResponse<InputStream> started = send(() -> HttpRequest.newBuilder(endpoint.resolve("/v2/" + repository
                + "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()), List.of(pushScope(repository)));
        byte[] answer = readBounded(started, MAX_SMALL_BODY, "answer");
        if (started.statusCode() != 202) {
            throw RegistryErrors.of(started.statusCode(), RegistryErrors.describe(started.statusCode(), answer));
        }
        URI session = started.uri().resolve(started.headers().firstValue("Location")
                .orElseThrow(() -> new EngineException(ErrorKind.UNAVAILABLE, "the registry started an upload without a Location")));
        HttpResponse<InputStream> patched = send(() -> HttpRequest.newBuilder(session)
                .header("Content-Type", "application/octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(bytes)), List.of(pushScope(repository)),
                uploadTimeout(maxSize));
        byte[] patchAnswer = readBounded(patched, MAX_SMALL_BODY, "answer");
        if (patched.statusCode() != 202) {
            cancelUpload(session, repository);
            throw RegistryErrors.of(patched.statusCode(), RegistryErrors.describe(patched.statusCode(), patchAnswer));
        }
        URI next = patched.uri().resolve(patched.headers().firstValue("Location").orElse(session.toString()));
        String separator = next.getQuery() == null ? "?" : "&";
        URI put = URI.create(next + separator + "digest=" + encode(digestAfter.get().toString()));
        HttpResponse<InputStream> done = send(() -> HttpRequest.newBuilder(put).PUT(HttpRequest.BodyPublishers.noBody()),
                List.of(pushScope(repository)));
        byte[] body = readBounded(done, MAX_SMALL_BODY, "answer");
        if (done.statusCode() != 201) {
            throw RegistryErrors.of(done.statusCode(), RegistryErrors.describe(done.statusCode(), body));
        }
    }

    private void cancelUpload(URI session, String repository) {
        try {
            send(() -> HttpRequest.newBuilder(session).DELETE(), List.of(pushScope(repository))).body().close();
        } catch (IOException | RuntimeException e) {
            // an abandoned upload session expires on the registry's side anyway
        }
    }

    /** A GET of any path under the registry's base, with its authorisation; the caller reads and closes the body. */
    public HttpResponse<InputStream> get(String path, List<String> scopes) throws IOException {
        return send(() -> HttpRequest.newBuilder(endpoint.resolve(path)).GET(), scopes);
    }

    // ---- catalog ---------------------------------------------------------------------------

    /** Every repository the registry lists, following its Link pagination. */
    public List<String> catalog(int max) throws IOException {
        List<String> names = new ArrayList<>();
        String next = "/v2/_catalog?n=1000";
        while (next != null && names.size() < max) {
            String path = next;
            HttpResponse<InputStream> response = send(() -> HttpRequest.newBuilder(endpoint.resolve(path)).GET(),
                    List.of("registry:catalog:*"));
            byte[] body = readBounded(response, MAX_SMALL_BODY, "catalog");
            if (response.statusCode() != 200) {
                throw RegistryErrors.of(response.statusCode(), RegistryErrors.describe(response.statusCode(), body));
            }
            JSON.readTree(body).path("repositories").forEach(name -> names.add(name.asText()));
            next = nextLink(response);
        }
        return names;
    }

    /** The tags of a repository. */
    public List<String> tags(String repository) throws IOException {
        HttpResponse<InputStream> response = send(() -> HttpRequest.newBuilder(
                endpoint.resolve("/v2/" + repository + "/tags/list")).GET(), List.of(pullScope(repository)));
        byte[] body = readBounded(response, MAX_SMALL_BODY, "tag list");
        if (response.statusCode() != 200) {
            throw RegistryErrors.of(response.statusCode(), RegistryErrors.describe(response.statusCode(), body));
        }
        List<String> tags = new ArrayList<>();
        JSON.readTree(body).path("tags").forEach(tag -> tags.add(tag.asText()));
        return tags;
    }

    private static String nextLink(HttpResponse<?> response) {
        String link = response.headers().firstValue("Link").orElse(null);
        if (link == null || !link.contains("rel=\"next\"")) {
            return null;
        }
        int open = link.indexOf('<');
        int close = link.indexOf('>');
        return open >= 0 && close > open ? link.substring(open + 1, close) : null;
    }

    // ---- authentication --------------------------------------------------------------------

    /**
     * Checks the job's credentials, as POST /auth does: a Basic registry must accept them on
     * /v2/, a Bearer one must give a token for them. UNAUTHENTICATED with the registry's words
     * otherwise. Returns the identity token (an OAuth2 refresh token) the token service gave
     * for them, or the one the job brought; null when there is none.
     */
    public String checkCredentials() throws IOException {
        AuthChallenge current = challenge;
        if (current == null) {
            return null;
        }
        if (current.isBearer()) {
            return tokenFor(current, List.of(), true, true).refreshToken();
        }
        HttpRequest.Builder ping = HttpRequest.newBuilder(endpoint.resolve("/v2/")).timeout(REQUEST_TIMEOUT).GET();
        if (credentials.hasPassword()) {
            ping.header("Authorization", basic());
        }
        HttpResponse<InputStream> response = sendOnce(ping.build());
        response.body().close();
        if (response.statusCode() != 200) {
            throw new EngineException(response.statusCode() == 401 ? ErrorKind.UNAUTHENTICATED : ErrorKind.UNAVAILABLE,
                    "login attempt to " + endpoint.resolve("/v2/") + " failed with status: " + response.statusCode() + " "
                    + (response.statusCode() == 401 ? "Unauthorized" : "Error"));
        }
        return null;
    }

    private static Duration uploadTimeout(long bodySize) {
        return REQUEST_TIMEOUT.plusSeconds(Math.max(0, bodySize) / SLOWEST_UPLOAD_BYTES_PER_SECOND);
    }

    private HttpResponse<InputStream> send(Supplier<HttpRequest.Builder> request, List<String> scopes) throws IOException {
        return send(request, scopes, REQUEST_TIMEOUT);
    }

    /**
     * Sends a request with the registry's authorisation; on a 401 takes its new challenge and
     * tries once more. The timeout runs until the response's headers arrive.
     */
    private HttpResponse<InputStream> send(Supplier<HttpRequest.Builder> request, List<String> scopes, Duration timeout)
            throws IOException {
        for (int attempt = 0; ; attempt++) {
            HttpRequest.Builder builder = request.get().timeout(timeout);
            String authorization = authorization(scopes, attempt > 0);
            if (authorization != null) {
                builder.header("Authorization", authorization);
            }
            HttpResponse<InputStream> response = sendOnce(builder.build());
            if (response.statusCode() != 401 || attempt > 0) {
                if (response.statusCode() == 401) {
                    byte[] body = readBounded(response, MAX_SMALL_BODY, "answer");
                    throw new EngineException(ErrorKind.UNAUTHENTICATED, RegistryErrors.describe(401, body));
                }
                return response;
            }
            AuthChallenge renewed = AuthChallenge.parse(response.headers().firstValue("WWW-Authenticate").orElse(null));
            byte[] body = readBounded(response, MAX_SMALL_BODY, "answer");
            if (renewed == null) {
                throw new EngineException(ErrorKind.UNAUTHENTICATED, RegistryErrors.describe(401, body));
            }
            challenge = renewed;
        }
    }

    private HttpResponse<InputStream> sendOnce(HttpRequest request) throws IOException {
        try {
            return http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private String authorization(List<String> scopes, boolean renew) throws IOException {
        AuthChallenge current = challenge;
        if (current == null) {
            return null;
        }
        if (current.isBasic()) {
            return credentials.hasPassword() ? basic() : null;
        }
        if (current.isBearer()) {
            return "Bearer " + bearerToken(current, scopes, renew);
        }
        return null;
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((credentials.username() + ":" + credentials.password())
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A token for the scopes: the cached one unless renewing, else one from the realm. */
    private String bearerToken(AuthChallenge current, List<String> scopes, boolean renew) throws IOException {
        if (credentials.registryToken() != null && !credentials.registryToken().isEmpty()) {
            return credentials.registryToken();
        }
        return tokenFor(current, scopes, renew, false).token();
    }

    /** What a token service answered: the bearer token, and a refresh token when it gave one. */
    record TokenAnswer(String token, String refreshToken) {
    }

    /**
     * A token for the scopes from the challenge's realm, through the cache unless renewing or
     * logging in. A job with an identity token uses the OAuth2 refresh-token grant; a login
     * with a password asks for a refresh token too (dockerd's GET with offline_token); anything
     * else is dockerd's GET with Basic credentials or none.
     */
    private TokenAnswer tokenFor(AuthChallenge current, List<String> scopes, boolean renew, boolean login) throws IOException {
        String realm = current.parameter("realm");
        if (realm == null || realm.isEmpty()) {
            throw new EngineException(ErrorKind.UNAVAILABLE, "the registry " + domain + " asks for a token without a realm");
        }
        String service = current.parameter("service");
        List<String> wanted = new ArrayList<>(scopes);
        String challenged = current.parameter("scope");
        if (challenged != null && !challenged.isEmpty() && !wanted.contains(challenged)) {
            wanted.add(challenged);
        }
        String key = TokenCache.key(realm, service, String.join(" ", wanted), principal());
        if (!renew && !login) {
            String cached = tokens.get(key);
            if (cached != null) {
                return new TokenAnswer(cached, null);
            }
        } else {
            tokens.forget(key);
        }
        Granted granted;
        String identity = credentials.identityToken();
        if (identity != null && !identity.isEmpty()) {
            granted = postGrant(realm, service, wanted, List.of("grant_type", "refresh_token", "refresh_token", identity));
            if (granted == null) {
                // no OAuth2 endpoint (the spec's 404): only a password, if the job has one, can still get a token
                granted = getToken(realm, service, wanted, false);
            } else if (granted.refreshToken() == null) {
                granted = granted.withRefreshToken(identity);
            }
        } else if (login && credentials.hasPassword()) {
            // dockerd's login: the GET with offline_token=true, which a service that gives refresh tokens answers with one
            granted = getToken(realm, service, wanted, true);
        } else {
            granted = getToken(realm, service, wanted, false);
        }
        if (granted.failed()) {
            ErrorKind kind = granted.status() == 400 || granted.status() == 401 || granted.status() == 403
                    ? ErrorKind.UNAUTHENTICATED : ErrorKind.UNAVAILABLE;
            throw new EngineException(kind, granted.method() + " \"" + realm + "\": " + granted.error());
        }
        if (granted.token().isEmpty()) {
            throw new EngineException(ErrorKind.UNAVAILABLE, "the token service of " + domain + " answered without a token");
        }
        tokens.put(key, granted.token(), granted.expiresIn() < 60 ? 60 : granted.expiresIn(), granted.issuedAt());
        return new TokenAnswer(granted.token(), granted.refreshToken());
    }

    /** Who the cached tokens are for: the user and a digest of the secret, so a wrong secret never reuses a right one's token. */
    private String principal() {
        String identity = credentials.identityToken();
        if (identity != null && !identity.isEmpty()) {
            return TokenCache.principal(credentials.username(), "identity:" + identity);
        }
        return credentials.hasPassword() ? TokenCache.principal(credentials.username(), "password:" + credentials.password())
                : "";
    }

    /** A token service's answer: a token, or the failure (status and its words). */
    private record Granted(int status, String method, String token, String refreshToken, long expiresIn, Instant issuedAt,
            String error) {
        boolean failed() {
            return status / 100 != 2;
        }

        Granted withRefreshToken(String refresh) {
            return new Granted(status, method, token, refresh, expiresIn, issuedAt, error);
        }
    }

    /**
     * The OAuth2 POST to the realm (distribution's oauth spec) with the given grant and Docker's
     * client_id. Null when the service has no such endpoint (404 or 405), where the spec sends
     * clients to the GET.
     */
    private Granted postGrant(String realm, String service, List<String> scopes, List<String> grant) throws IOException {
        StringBuilder form = new StringBuilder();
        List<String> fields = new ArrayList<>(List.of("client_id", CLIENT_ID));
        if (service != null) {
            fields.addAll(List.of("service", service));
        }
        fields.addAll(List.of("scope", String.join(" ", scopes)));
        fields.addAll(grant);
        for (int i = 0; i < fields.size(); i += 2) {
            form.append(form.length() == 0 ? "" : "&").append(encode(fields.get(i))).append('=').append(encode(fields.get(i + 1)));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(realm)).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString(), StandardCharsets.UTF_8)).build();
        HttpResponse<InputStream> response = sendOnce(request);
        byte[] body = readBounded(response, MAX_SMALL_BODY, "token");
        if (response.statusCode() == 404 || response.statusCode() == 405) {
            return null;
        }
        return granted(response.statusCode(), "Post", body);
    }

    /**
     * dockerd's GET to the realm, with the job's Basic credentials when it has a password; a
     * login adds offline_token=true and the client_id, asking for a refresh token.
     */
    private Granted getToken(String realm, String service, List<String> scopes, boolean offline) throws IOException {
        StringBuilder uri = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
        if (service != null) {
            uri.append("service=").append(encode(service)).append('&');
        }
        for (String scope : scopes) {
            uri.append("scope=").append(encode(scope)).append('&');
        }
        if (offline) {
            uri.append("offline_token=true&client_id=").append(CLIENT_ID).append('&');
        }
        if (credentials.hasPassword()) {
            uri.append("account=").append(encode(credentials.username())).append('&');
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri.substring(0, uri.length() - 1)))
                .timeout(REQUEST_TIMEOUT).GET();
        if (credentials.hasPassword()) {
            request.header("Authorization", basic());
        }
        HttpResponse<InputStream> response = sendOnce(request.build());
        return granted(response.statusCode(), "Get", readBounded(response, MAX_SMALL_BODY, "token"));
    }

    private Granted granted(int status, String method, byte[] body) throws IOException {
        if (status / 100 != 2) {
            return new Granted(status, method, null, null, 0, null, tokenError(status, body));
        }
        JsonNode answer = JSON.readTree(body);
        String token = answer.path("access_token").asText("");
        if (token.isEmpty()) {
            token = answer.path("token").asText("");
        }
        String refresh = answer.path("refresh_token").asText("");
        Instant issuedAt = null;
        try {
            issuedAt = answer.hasNonNull("issued_at") ? Instant.parse(answer.path("issued_at").asText()) : null;
        } catch (DateTimeParseException e) {
            // a malformed issue time: count from now, as Docker does
        }
        return new Granted(status, method, token, refresh.isEmpty() ? null : refresh, answer.path("expires_in").asLong(60),
                issuedAt, null);
    }

    /** A token service's refusal in its words: the distribution API's errors, or OAuth2's error and description. */
    private static String tokenError(int status, byte[] body) {
        try {
            JsonNode answer = JSON.readTree(body);
            if (answer != null && answer.hasNonNull("error") && answer.path("error").isTextual()) {
                String description = answer.path("error_description").asText("");
                return answer.path("error").asText() + (description.isEmpty() ? "" : ": " + description);
            }
        } catch (IOException | RuntimeException e) {
            // not OAuth2's error shape
        }
        return RegistryErrors.describe(status, body);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** Reads a small body whole, refusing more than max bytes (a registry must not make Berth buffer an image). */
    private byte[] readBounded(HttpResponse<InputStream> response, int max, String what) throws IOException {
        try (InputStream in = StalledBodyGuard.guard(response.body(), stallTimeout, "its " + what)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw EngineException.invalid("the registry's " + what + " is larger than " + max + " bytes");
            }
            return bytes;
        }
    }
}
