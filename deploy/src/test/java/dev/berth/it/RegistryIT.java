package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * docker pull, run of a missing image, push, search against Debian's docker-registry on
 * 127.0.0.1 (plain HTTP, as Docker allows for loopback registries). The registry's content is
 * written by skopeo, so that pull reads what another tool wrote.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryIT {
    private static final String MANIFEST_TYPES = "application/vnd.docker.distribution.manifest.v2+json,"
            + "application/vnd.oci.image.manifest.v1+json";
    private static BerthDaemon berth;
    private static LocalRegistry registry;
    private static String host;

    @BeforeAll
    static void start() throws Exception {
        registry = LocalRegistry.start();
        host = registry.address();
        registry.copyArchive(BerthDaemon.busyboxArchive(), "bb:1");
        registry.copyArchive(BerthDaemon.busyboxArchive(), "bb:2");
        berth = BerthDaemon.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (berth != null) {
            berth.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    /** The registry's answer for a manifest: its Docker-Content-Digest and body. */
    private static HttpResponse<String> manifest(LocalRegistry from, String repository, String reference) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + from.address() + "/v2/"
                + repository + "/manifests/" + reference)).header("Accept", MANIFEST_TYPES).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void pullShowsLayerProgressThenDigestAndStatus() throws Exception {
        String raw = berth.rawPost("/images/create?fromImage=" + host + "/bb&tag=1", "text/plain", "");
        assertThat(raw).startsWith("HTTP/1.1 200");
        assertThat(raw).contains("{\"status\":\"Pulling from bb\",\"id\":\"1\"}");
        assertThat(raw).containsPattern("\\{\"status\":\"Pulling fs layer\",\"progressDetail\":\\{},\"id\":\"[0-9a-f]{12}\"}");
        assertThat(raw).containsPattern("\"status\":\"Downloading\",\"progressDetail\":\\{\"current\":[0-9]+,\"total\":[0-9]+},"
                + "\"progress\":\"\\[[=> ]+] [0-9.]+[kM]?B/[0-9.]+[kM]?B\",\"id\":\"[0-9a-f]{12}\"");
        assertThat(raw).contains("\"status\":\"Download complete\"").contains("\"status\":\"Pull complete\"");
        String digest = manifest(registry, "bb", "1").headers().firstValue("Docker-Content-Digest").orElseThrow();
        assertThat(raw).contains("{\"status\":\"Digest: " + digest + "\"}");
        assertThat(raw).contains("{\"status\":\"Status: Downloaded newer image for " + host + "/bb:1\"}");

        String images = berth.docker("images", "--digests", "--format", "{{.Repository}} {{.Tag}} {{.Digest}}").ok();
        assertThat(images).contains(host + "/bb 1 " + digest);
        assertThat(berth.docker("image", "inspect", "--format", "{{json .RepoDigests}}", host + "/bb:1").ok())
                .contains(host + "/bb@" + digest);

        CliResult again = berth.docker("pull", host + "/bb:1");
        assertThat(again.ok()).contains("1: Pulling from bb", "Digest: " + digest,
                "Status: Image is up to date for " + host + "/bb:1");
        assertThat(again.out()).endsWith(host + "/bb:1");
    }

    @Test
    @Order(2)
    void pullByDigestAndEveryTag() throws Exception {
        String digest = manifest(registry, "bb", "2").headers().firstValue("Docker-Content-Digest").orElseThrow();
        CliResult byDigest = berth.docker("pull", host + "/bb@" + digest);
        assertThat(byDigest.ok()).contains("Digest: " + digest);
        assertThat(berth.docker("image", "inspect", "--format", "{{.Id}}", host + "/bb@" + digest).ok().trim())
                .isEqualTo(berth.docker("image", "inspect", "--format", "{{.Id}}", host + "/bb:1").ok().trim());

        CliResult all = berth.docker("pull", "-a", host + "/bb");
        assertThat(all.ok()).contains("1: Pulling from bb", "2: Pulling from bb");
        assertThat(berth.docker("images", "--format", "{{.Repository}}:{{.Tag}}", host + "/bb").ok().lines().sorted().toList())
                .containsExactly(host + "/bb:1", host + "/bb:2");
    }

    @Test
    @Order(3)
    void runOfAMissingImagePullsIt() throws Exception {
        registry.copyArchive(BerthDaemon.busyboxArchive(), "runme:latest");
        CliResult run = berth.docker("run", "--rm", host + "/runme", "echo", "pulled and ran");
        assertThat(run.ok()).contains("pulled and ran");
        assertThat(run.stderr()).contains("Unable to find image '" + host + "/runme:latest' locally",
                "Status: Downloaded newer image for " + host + "/runme:latest");
    }

    @Test
    @Order(4)
    void unknownTagsAndRepositoriesAreNotFound() throws Exception {
        CliResult tag = berth.docker("pull", host + "/bb:nosuch");
        assertThat(tag.exitCode()).isNotZero();
        assertThat(tag.stderr()).contains("manifest for " + host + "/bb:nosuch not found: manifest unknown");
        CliResult repo = berth.docker("pull", host + "/nosuch:1");
        assertThat(repo.exitCode()).isNotZero();
        assertThat(repo.stderr()).contains("nosuch");
        CliResult platform = berth.docker("pull", "--platform", "linux/arm64", host + "/bb:2");
        assertThat(platform.exitCode()).isNotZero();
        assertThat(platform.stderr()).contains("image with reference " + host + "/bb:2 was found but does not match the"
                + " specified platform: wanted linux/arm64, actual: linux/amd64");
        assertThat(berth.docker("pull", "--platform", "linux/amd64", host + "/bb:2").ok()).contains("Digest: sha256:");
    }

    @Test
    @Order(5)
    void aTamperedBlobIsRefusedAndNothingIsStored() throws Exception {
        try (LocalRegistry tampered = LocalRegistry.start()) {
            tampered.copyArchive(BerthDaemon.busyboxArchive(), "bad:1");
            String manifest = manifest(tampered, "bad", "1").body();
            java.util.regex.Matcher layer = java.util.regex.Pattern
                    .compile("\"layers\"\\s*:\\s*\\[\\s*\\{[^}]*\"digest\"\\s*:\\s*\"(sha256:[0-9a-f]{64})\"").matcher(manifest);
            assertThat(layer.find()).as(manifest).isTrue();
            Path blob = tampered.blobFile(layer.group(1));
            byte[] bytes = Files.readAllBytes(blob);
            bytes[bytes.length / 2] ^= 0x55;
            Files.write(blob, bytes);

            BerthDaemon fresh = BerthDaemon.start();
            try {
                CliResult pull = fresh.docker("pull", tampered.address() + "/bad:1");
                assertThat(pull.exitCode()).isNotZero();
                assertThat(pull.stdout() + pull.stderr()).contains("filesystem layer verification failed for digest "
                        + layer.group(1));
                assertThat(fresh.docker("images", "-a", "-q").out()).isEmpty();
                Path imageRoot = fresh.dataRoot().resolve("image");
                try (Stream<Path> files = Files.walk(imageRoot)) {
                    assertThat(files.filter(Files::isRegularFile)
                            .filter(p -> !p.getFileName().toString().startsWith("graph.db"))
                            .map(p -> imageRoot.relativize(p).toString()).toList()).isEmpty();
                }
            } finally {
                fresh.close();
            }
        }
    }

    @Test
    @Order(6)
    void pushThenRemoveThenPullRoundTrips() throws Exception {
        berth.docker("tag", host + "/bb:1", host + "/pushed/one:v1").ok();
        CliResult push = berth.docker("push", host + "/pushed/one:v1");
        assertThat(push.ok()).contains("The push refers to repository [" + host + "/pushed/one]");
        // the layer came from this registry's repositories bb and runme: mounted, not sent again
        assertThat(push.out()).containsPattern("[0-9a-f]{12}: Mounted from (bb|runme)\n");
        String digest = manifest(registry, "pushed/one", "v1").headers().firstValue("Docker-Content-Digest").orElseThrow();
        assertThat(push.out()).containsPattern("v1: digest: " + digest + " size: [0-9]+");

        CliResult again = berth.docker("push", host + "/pushed/one:v1");
        assertThat(again.ok()).containsPattern("[0-9a-f]{12}: Layer already exists");

        String id = berth.docker("image", "inspect", "--format", "{{.Id}}", host + "/pushed/one:v1").ok().trim();
        berth.docker("rmi", host + "/pushed/one:v1").ok();
        CliResult pull = berth.docker("pull", host + "/pushed/one:v1");
        assertThat(pull.ok()).contains("Digest: " + digest);
        assertThat(berth.docker("image", "inspect", "--format", "{{.Id}}", host + "/pushed/one:v1").ok().trim()).isEqualTo(id);

        // rmi by digest reference removes that reference only; the tag and the image stay
        String digested = host + "/pushed/one@" + digest;
        assertThat(berth.docker("image", "inspect", "--format", "{{.RepoDigests}}", id).ok()).contains(digested);
        assertThat(berth.docker("rmi", digested).ok().trim()).isEqualTo("Untagged: " + digested);
        assertThat(berth.docker("image", "inspect", "--format", "{{.Id}} {{.RepoDigests}}", host + "/pushed/one:v1").ok())
                .startsWith(id).doesNotContain(digested);
    }

    @Test
    @Order(7)
    void aLayerNoRegistryHasIsCompressedAndUploadedThenPullsBackIdentical() throws Exception {
        try (LocalRegistry other = LocalRegistry.start()) {
            String target = other.address() + "/fresh:1";
            berth.docker("tag", host + "/bb:1", target).ok();
            CliResult push = berth.docker("push", target);
            assertThat(push.ok()).containsPattern("[0-9a-f]{12}: Pushed").contains("1: digest: sha256:");
            BerthDaemon fresh = BerthDaemon.start();
            try {
                fresh.docker("pull", target).ok();
                assertThat(fresh.docker("image", "inspect", "--format", "{{.Id}}", target).ok().trim())
                        .isEqualTo(berth.docker("image", "inspect", "--format", "{{.Id}}", target).ok().trim());
            } finally {
                fresh.close();
            }
        }
    }

    @Test
    @Order(8)
    void pushOfAnUnknownImageSaysSo() throws Exception {
        CliResult push = berth.docker("push", host + "/never/made:1");
        assertThat(push.exitCode()).isNotZero();
        assertThat(push.stderr()).contains("tag does not exist: " + host + "/never/made:1");
    }

    @Test
    @Order(9)
    void searchOfAPrivateRegistryUsesItsCatalog() throws Exception {
        String found = berth.docker("search", "--format", "{{.Name}} {{.StarCount}} [{{.IsOfficial}}] {{.Description}}",
                host + "/pushed").ok();
        assertThat(found.lines().toList()).containsExactly(host + "/pushed/one 0 [] tags: v1");
        String all = berth.docker("search", "--format", "{{.Name}}", host + "/b").ok();
        assertThat(all.lines().toList()).contains(host + "/bb").doesNotContain(host + "/runme");
        assertThat(berth.docker("search", "--limit", "1", "--format", "{{.Name}}", host + "/u").ok().lines().count())
                .isEqualTo(1);
        assertThat(berth.docker("search", "--filter", "is-official=true", "--format", "{{.Name}}", host + "/bb").out())
                .isEmpty();
        assertThat(berth.docker("search", "--filter", "stars=1", "--format", "{{.Name}}", host + "/bb").out()).isEmpty();
        assertThat(berth.docker("search", "--filter", "is-official=false", "--format", "{{.Name}}", host + "/bb").out())
                .contains(host + "/bb");
        CliResult bad = berth.docker("search", "--filter", "colour=red", host + "/bb");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("invalid filter 'colour'");
        String raw = berth.rawGet("/images/search?term=" + host + "/pushed");
        assertThat(raw).contains("[{\"star_count\":0,\"is_official\":false,\"name\":\"" + host
                + "/pushed/one\",\"is_automated\":false,\"description\":\"tags: v1\"}]");
    }

    /** bcrypt of "s3cret-pw" (cost 4), as docker-registry's htpasswd wants it. */
    private static final String ALICE = "alice:$2b$04$vBRPiJPhDuxF0DTY9HmWcOTebPV8sDO.OTiW83H/I2dxnEYGnaU9a";

    @Test
    @Order(10)
    void loginChecksCredentialsAndTheDaemonKeepsNone() throws Exception {
        Path htpasswd = Files.createTempFile("berth-htpasswd", "");
        Files.writeString(htpasswd, ALICE + "\n");
        try (LocalRegistry locked = LocalRegistry.start("auth:\n  htpasswd:\n    realm: berth-test\n    path: " + htpasswd)) {
            String address = locked.address();
            CliResult wrong = berth.docker("login", "-u", "alice", "-p", "wrong-pw", address);
            assertThat(wrong.exitCode()).isNotZero();
            assertThat(wrong.stderr()).contains("401 Unauthorized");

            berth.docker("tag", host + "/bb:1", address + "/private/bb:1").ok();
            CliResult anonymous = berth.docker("push", address + "/private/bb:1");
            assertThat(anonymous.exitCode()).isNotZero();
            assertThat(anonymous.stderr()).contains("unauthorized");

            assertThat(berth.docker("login", "-u", "alice", "-p", "s3cret-pw", address).ok()).contains("Login Succeeded");
            assertThat(berth.docker("push", address + "/private/bb:1").ok()).contains("1: digest: sha256:");
            berth.docker("rmi", address + "/private/bb:1").ok();
            assertThat(berth.docker("pull", address + "/private/bb:1").ok())
                    .contains("Status: Downloaded newer image for " + address + "/private/bb:1");

            berth.docker("logout", address).ok();
            berth.docker("rmi", address + "/private/bb:1").ok();
            CliResult denied = berth.docker("pull", address + "/private/bb:1");
            assertThat(denied.exitCode()).isNotZero();
            assertThat(denied.stderr()).contains("pull access denied for " + address + "/private/bb",
                    "unauthorized: authentication required");

            assertThat(berth.log()).doesNotContain("s3cret-pw");
            try (Stream<Path> files = Files.walk(berth.dataRoot())) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                            .as(file.toString()).doesNotContain("s3cret-pw");
                }
            }
        } finally {
            Files.deleteIfExists(htpasswd);
        }
    }

    @Test
    @Order(11)
    void dockerHubNamesArePulledFromTheConfiguredMirror() throws Exception {
        registry.copyArchive(BerthDaemon.busyboxArchive(), "library/mirrored:1");
        BerthDaemon mirrored = BerthDaemon.start("--registry-mirror", "http://" + host, "--max-concurrent-downloads", "1");
        try {
            CliResult pull = mirrored.docker("pull", "mirrored:1");
            assertThat(pull.ok()).contains("1: Pulling from library/mirrored", "Status: Downloaded newer image for mirrored:1");
            assertThat(pull.out()).endsWith("docker.io/library/mirrored:1");
            assertThat(mirrored.docker("info", "--format", "{{json .RegistryConfig.Mirrors}}").ok())
                    .contains("http://" + host + "/");
        } finally {
            mirrored.close();
        }
    }

    /** As dockerd: a mirror that answers but lacks the image is passed over for the next endpoint. */
    @Test
    @Order(11)
    void aMirrorWithoutTheImageFallsBackToTheNextMirror() throws Exception {
        registry.copyArchive(BerthDaemon.busyboxArchive(), "library/onlysecond:1");
        try (LocalRegistry empty = LocalRegistry.start()) {
            BerthDaemon mirrored = BerthDaemon.start("--registry-mirror", "http://" + empty.address(),
                    "--registry-mirror", "http://" + host);
            try {
                CliResult pull = mirrored.docker("pull", "onlysecond:1");
                assertThat(pull.ok()).contains("Status: Downloaded newer image for onlysecond:1");
                assertThat(empty.log()).contains("/v2/library/onlysecond/manifests/1");
            } finally {
                mirrored.close();
            }
        }
    }

    @Test
    @Order(12)
    void basicAuthOverTlsWithATestCa() throws Exception {
        Path tls = Files.createTempDirectory("berth-registry-tls");
        Path htpasswd = tls.resolve("htpasswd");
        Files.writeString(htpasswd, ALICE + "\n");
        try (LocalRegistry secured = LocalRegistry.startTls(tls, "auth:\n  htpasswd:\n    realm: berth-tls\n    path: "
                + htpasswd)) {
            String address = secured.address();
            CliResult wrong = berth.docker("login", "-u", "alice", "-p", "nope", address);
            assertThat(wrong.exitCode()).isNotZero();
            assertThat(wrong.stderr()).contains("login attempt to https://" + address + "/v2/ failed with status: 401");
            assertThat(berth.docker("login", "-u", "alice", "-p", "s3cret-pw", address).ok()).contains("Login Succeeded");
            berth.docker("tag", host + "/bb:1", address + "/tls/bb:1").ok();
            assertThat(berth.docker("push", address + "/tls/bb:1").ok()).contains("1: digest: sha256:");
            berth.docker("rmi", address + "/tls/bb:1").ok();
            assertThat(berth.docker("pull", address + "/tls/bb:1").ok())
                    .contains("Status: Downloaded newer image for " + address + "/tls/bb:1");
            berth.docker("logout", address).ok();
        } finally {
            try (Stream<Path> files = Files.walk(tls)) {
                for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @Test
    @Order(13)
    void bearerTokensFromTheRegistrysTokenService() throws Exception {
        Path dir = Files.createTempDirectory("berth-registry-token");
        try (TestTokenIssuer issuer = TestTokenIssuer.start(dir, "alice", "s3cret-pw");
                LocalRegistry tokened = LocalRegistry.start(issuer.registryConfig(dir))) {
            String address = tokened.address();
            CliResult wrong = berth.docker("login", "-u", "alice", "-p", "nope", address);
            assertThat(wrong.exitCode()).isNotZero();
            assertThat(wrong.stderr()).contains("unauthorized: incorrect username or password");

            berth.docker("tag", host + "/bb:1", address + "/tok/bb:1").ok();
            CliResult anonymous = berth.docker("push", address + "/tok/bb:1");
            assertThat(anonymous.exitCode()).isNotZero();

            assertThat(berth.docker("login", "-u", "alice", "-p", "s3cret-pw", address).ok()).contains("Login Succeeded");
            int before = issuer.issued();
            assertThat(berth.docker("push", address + "/tok/bb:1").ok()).contains("1: digest: sha256:");
            // one token for the push's scope, reused by every request of the push
            assertThat(issuer.issued() - before).isEqualTo(1);
            berth.docker("rmi", address + "/tok/bb:1").ok();
            assertThat(berth.docker("pull", address + "/tok/bb:1").ok())
                    .contains("Status: Downloaded newer image for " + address + "/tok/bb:1");
            berth.docker("logout", address).ok();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /**
     * A token service that gives refresh tokens: login answers one as IdentityToken, the CLI
     * stores it instead of the password, and later requests trade it for access tokens through
     * the refresh-token grant. The daemon writes it nowhere.
     */
    @Test
    @Order(14)
    void identityTokensFromTheTokenServiceReplaceThePassword() throws Exception {
        Path dir = Files.createTempDirectory("berth-registry-oauth");
        try (TestTokenIssuer issuer = TestTokenIssuer.startOAuth(dir, "alice", "s3cret-pw");
                LocalRegistry tokened = LocalRegistry.start(issuer.registryConfig(dir))) {
            String address = tokened.address();
            String raw = berth.rawPost("/auth", "application/json", "{\"username\":\"alice\",\"password\":\"s3cret-pw\","
                    + "\"serveraddress\":\"" + address + "\"}");
            assertThat(raw).startsWith("HTTP/1.1 200").contains("\"Status\":\"Login Succeeded\"");
            assertThat(issuer.refreshTokens()).hasSize(1);
            String first = issuer.refreshTokens().iterator().next();
            assertThat(raw).contains("\"IdentityToken\":\"" + first + "\"");
            // dockerd's login: one GET with offline_token=true, never the OAuth2 password grant
            assertThat(issuer.requests("GET basic")).isEqualTo(1);
            assertThat(issuer.requests("POST password")).isZero();
            assertThat(issuer.clientIds()).containsOnly("docker");

            assertThat(berth.docker("login", "-u", "alice", "-p", "s3cret-pw", address).ok()).contains("Login Succeeded");
            assertThat(issuer.refreshTokens()).hasSize(2);
            Path config = berth.root().resolve("docker-config/config.json");
            String stored = Files.readString(config);
            String identity = issuer.refreshTokens().stream().filter(t -> !t.equals(first)).findFirst().orElseThrow();
            assertThat(stored).contains("\"identitytoken\": \"" + identity + "\"").doesNotContain("s3cret-pw")
                    .doesNotContain(java.util.Base64.getEncoder().encodeToString("alice:s3cret-pw".getBytes()));

            int basicBefore = issuer.requests("GET basic");
            berth.docker("tag", host + "/bb:1", address + "/oauth/bb:1").ok();
            assertThat(berth.docker("push", address + "/oauth/bb:1").ok()).contains("1: digest: sha256:");
            berth.docker("rmi", address + "/oauth/bb:1").ok();
            assertThat(berth.docker("pull", address + "/oauth/bb:1").ok())
                    .contains("Status: Downloaded newer image for " + address + "/oauth/bb:1");
            // the push's scope and the pull's: each one refresh-token grant, and no password sent anywhere
            assertThat(issuer.requests("POST refresh_token")).isEqualTo(2);
            assertThat(issuer.requests("GET basic")).isEqualTo(basicBefore);
            assertThat(issuer.requests("POST password")).isZero();

            // a login that brings the identity token (as API clients may; the CLI 28 prompts for a
            // password instead) is checked through the refresh grant and answered with it; a
            // made-up one is the token service's refusal
            String again = berth.rawPost("/auth", "application/json", "{\"username\":\"alice\",\"identitytoken\":\""
                    + identity + "\",\"serveraddress\":\"" + address + "\"}");
            assertThat(again).startsWith("HTTP/1.1 200").contains("\"IdentityToken\":\"" + identity + "\"");
            assertThat(issuer.requests("POST refresh_token")).isEqualTo(3);
            String forged = berth.rawPost("/auth", "application/json", "{\"username\":\"alice\",\"identitytoken\":\"forged\","
                    + "\"serveraddress\":\"" + address + "\"}");
            assertThat(forged).startsWith("HTTP/1.1 401").contains("invalid_grant: unknown refresh token");

            berth.docker("logout", address).ok();
            assertThat(Files.readString(config)).doesNotContain(identity);
            berth.docker("rmi", address + "/oauth/bb:1").ok();
            CliResult denied = berth.docker("pull", address + "/oauth/bb:1");
            assertThat(denied.exitCode()).isNotZero();
            assertThat(denied.stderr()).contains("pull access denied for " + address + "/oauth/bb");

            assertThat(berth.log()).doesNotContain(identity).doesNotContain(first);
            try (Stream<Path> files = Files.walk(berth.dataRoot())) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String content = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
                    assertThat(content).as(file.toString()).doesNotContain(identity).doesNotContain(first);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
