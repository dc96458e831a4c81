package dev.berth.it;

import static dev.berth.it.BerthDaemon.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker build through the classic builder — the real CLI (no buildx) against a real berthd. */
class BuildIT {
    @TempDir
    Path context;

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

    @Test
    void aFourStepBuildCopiesRunsAndSetsTheCommand() throws Exception {
        Files.writeString(context.resolve("greeting.txt"), "hello from the context\n");
        Files.writeString(context.resolve("Dockerfile"), """
                FROM busybox
                COPY greeting.txt /data/
                RUN cp /data/greeting.txt /data/copied && echo ran >> /data/copied && echo shown-in-the-build
                CMD ["cat", "/data/copied"]
                """);
        String image = unique("built") + ":v1";
        CliResult build = berth.docker("build", "-t", image, context.toString());
        String output = build.ok();
        assertThat(output).contains("Step 1/4 : FROM busybox", "Step 2/4 : COPY greeting.txt /data/",
                "Step 4/4 : CMD [\"cat\", \"/data/copied\"]", "Successfully tagged " + image);
        assertThat(output).containsPattern(" ---> Running in [0-9a-f]{12}\nshown-in-the-build\n");
        String shortId = berth.docker("image", "inspect", "--format", "{{.Id}}", image).ok().trim().substring(7, 19);
        assertThat(output).contains("Successfully built " + shortId);
        assertThat(berth.docker("run", "--rm", image).ok()).isEqualTo("hello from the context\nran\n");
        String owner = berth.docker("run", "--rm", image, "stat", "-c", "%u:%g", "/data/greeting.txt").ok();
        assertThat(owner).isEqualTo("0:0\n");
        assertThat(berth.docker("ps", "-a", "-q").ok()).isEmpty();
        berth.docker("rmi", image).ok();
    }

    @Test
    void aFailingRunReportsItsCommandAndTheCliExitsWithItsCode() throws Exception {
        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nRUN exit 3\nCMD [\"true\"]\n");
        CliResult build = berth.docker("build", "-t", unique("failing"), context.toString());
        assertThat(build.exitCode()).isEqualTo(3);
        assertThat(build.stderr()).contains("The command '/bin/sh -c exit 3' returned a non-zero code: 3");
        assertThat(build.stdout()).doesNotContain("Step 3/3");
        assertThat(berth.docker("ps", "-a", "-q").ok()).isEmpty();
    }

    @Test
    void buildArgsReachRunAndSubstitutionWhileEnvWorkdirAndLabelsLandInTheConfig() throws Exception {
        Files.writeString(context.resolve("args.Dockerfile"), """
                FROM busybox
                ARG FLAVOUR=plain
                ENV TASTE=${FLAVOUR}-taste
                WORKDIR /srv/$FLAVOUR
                RUN echo "$FLAVOUR" > arg.txt
                LABEL made.by=berth
                CMD ["sh", "-c", "cat arg.txt; echo $TASTE; pwd"]
                """);
        String image = unique("args");
        String quietId = berth.docker("build", "-q", "--build-arg", "FLAVOUR=lemon", "--label", "extra=yes",
                "-t", image, "-f", context.resolve("args.Dockerfile").toString(), context.toString()).ok().trim();
        assertThat(quietId).matches("sha256:[0-9a-f]{64}");
        assertThat(berth.docker("run", "--rm", image).ok()).isEqualTo("lemon\nlemon-taste\n/srv/lemon\n");
        assertThat(berth.docker("image", "inspect", "--format", "{{.Id}} {{.Config.Labels}}", image).ok().trim())
                .isEqualTo(quietId + " map[extra:yes made.by:berth]");
        berth.docker("rmi", image).ok();
    }

    @Test
    void anOptionTheBuilderDoesNotHonourIsRefusedByNameAndAnUnusedBuildArgIsWarnedAbout() throws Exception {
        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\n");
        CliResult build = berth.docker("build", "--memory", "64m", context.toString());
        assertThat(build.exitCode()).isNotZero();
        assertThat(build.stderr()).contains("memory");
        CliResult unused = berth.docker("build", "--build-arg", "X=1", context.toString());
        assertThat(unused.ok()).contains("[Warning] One or more build-args [X] were not consumed");
    }

    @Test
    void theCliLeavesOutWhatDockerignoreNames() throws Exception {
        Files.writeString(context.resolve("kept.txt"), "kept\n");
        Files.writeString(context.resolve("secret.txt"), "secret\n");
        Files.writeString(context.resolve(".dockerignore"), "secret.txt\n");
        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nCOPY . /ctx/\nCMD [\"ls\", \"/ctx\"]\n");
        String image = unique("ignoring");
        berth.docker("build", "-t", image, context.toString()).ok();
        assertThat(berth.docker("run", "--rm", image).ok()).isEqualTo("Dockerfile\nkept.txt\n");
        berth.docker("rmi", image).ok();
    }

    @Test
    void anUnchangedStepComesFromTheCacheUntilItsInputsChangeOrNoCacheIsAsked() throws Exception {
        Files.writeString(context.resolve("input.txt"), "first\n");
        Files.writeString(context.resolve("Dockerfile"), """
                FROM busybox
                ARG FLAVOUR=plain
                COPY input.txt /in.txt
                RUN echo "ran with $FLAVOUR" && cat /in.txt > /out.txt && date +%s%N >> /out.txt
                ENV DONE=yes
                """);
        String image = unique("cached");
        String first = berth.docker("build", "-t", image, context.toString()).ok();
        assertThat(first).doesNotContain("Using cache").contains("\nran with plain\n");
        String firstId = imageId(image);

        String again = berth.docker("build", "-t", image, context.toString()).ok();
        assertThat(again).contains("Step 3/5 : COPY input.txt /in.txt\n ---> Using cache\n",
                "Step 5/5 : ENV DONE=yes\n ---> Using cache\n").doesNotContain("\nran with", "Running in");
        assertThat(imageId(image)).isEqualTo(firstId);

        String otherArg = berth.docker("build", "--build-arg", "FLAVOUR=lemon", "-t", image, context.toString()).ok();
        assertThat(otherArg).contains("Step 3/5 : COPY input.txt /in.txt\n ---> Using cache\n", "\nran with lemon\n");

        Files.writeString(context.resolve("input.txt"), "second\n");
        String changed = berth.docker("build", "-t", image, context.toString()).ok();
        assertThat(changed).doesNotContain("Using cache").contains("\nran with plain\n");
        assertThat(berth.docker("run", "--rm", image, "head", "-1", "/out.txt").ok()).isEqualTo("second\n");

        String noCache = berth.docker("build", "--no-cache", "-t", image, context.toString()).ok();
        assertThat(noCache).doesNotContain("Using cache").contains("\nran with plain\n");
        assertThat(imageId(image)).isNotEqualTo(firstId);
        berth.docker("rmi", image).ok();
    }

    @Test
    void theCacheOutlivesARestartOfTheDaemon() throws Exception {
        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nRUN echo made > /made.txt\nCMD [\"cat\", \"/made.txt\"]\n");
        String image = unique("restarted");
        berth.docker("build", "-t", image, context.toString()).ok();
        String before = imageId(image);
        berth.stop();
        berth.restart();
        String after = berth.docker("build", "-t", image, context.toString()).ok();
        assertThat(after).contains("Step 2/3 : RUN echo made > /made.txt\n ---> Using cache\n")
                .doesNotContain("Running in");
        assertThat(imageId(image)).isEqualTo(before);
        berth.docker("rmi", image).ok();
    }

    @Test
    void stagesAreCopiedFromByNameIndexOrImageAndTargetStopsAtAStage() throws Exception {
        Files.writeString(context.resolve("Dockerfile"), """
                ARG BASE=busybox
                FROM $BASE AS builder
                RUN echo built > /artifact.txt
                FROM busybox AS second
                RUN echo second > /second.txt
                FROM builder
                COPY --from=second /second.txt /app/
                COPY --from=0 /artifact.txt /app/
                COPY --from=busybox /bin/busybox /app/bb
                CMD ["ls", "/app"]
                """);
        String image = unique("stages");
        String output = berth.docker("build", "-t", image, context.toString()).ok();
        assertThat(output).contains("Step 1/10 : ARG BASE=busybox", "Step 6/10 : FROM builder");
        assertThat(berth.docker("run", "--rm", image).ok()).isEqualTo("artifact.txt\nbb\nsecond.txt\n");
        assertThat(berth.docker("run", "--rm", image, "cat", "/artifact.txt").ok()).isEqualTo("built\n");

        String target = unique("target");
        String targeted = berth.docker("build", "--target", "second", "-t", target, context.toString()).ok();
        assertThat(targeted).contains("Step 5/5 : RUN echo second > /second.txt").doesNotContain("Step 6");
        assertThat(berth.docker("run", "--rm", target, "cat", "/second.txt").ok()).isEqualTo("second\n");
        assertThat(berth.docker("run", "--rm", target, "ls", "/artifact.txt").exitCode()).isNotZero();

        CliResult missing = berth.docker("build", "--target", "nowhere", context.toString());
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("failed to reach build target nowhere");
        berth.docker("rmi", image, target).ok();
    }

    @Test
    void copyTakesGlobsAndChownAndAddExtractsLocalTars() throws Exception {
        Files.writeString(context.resolve("a.txt"), "a\n");
        Files.writeString(context.resolve("b.txt"), "b\n");
        Files.writeString(context.resolve("c.md"), "c\n");
        Path staging = Files.createDirectories(context.resolve("staging/dir"));
        Files.writeString(staging.resolve("inside.txt"), "inside\n");
        Files.writeString(context.resolve("staging/zipped.txt"), "zipped\n");
        BerthDaemon.host("tar", "-C", context.resolve("staging").toString(), "-cf", context.resolve("plain.tar").toString(),
                "--owner=7", "--group=8", "--numeric-owner", "dir");
        BerthDaemon.host("tar", "-C", context.resolve("staging").toString(), "-czf", context.resolve("zipped.tgz").toString(),
                "zipped.txt");
        Files.writeString(context.resolve(".dockerignore"), "staging\n");
        Files.writeString(context.resolve("Dockerfile"), """
                FROM busybox
                COPY *.txt /globbed/
                COPY --chown=nobody:nobody c.md /owned/
                COPY --chown=1234 c.md /numeric.md
                ADD plain.tar /extracted/
                ADD zipped.tgz /extracted/
                """);
        String image = unique("copies");
        berth.docker("build", "-t", image, context.toString()).ok();
        assertThat(berth.docker("run", "--rm", image, "ls", "/globbed").ok()).isEqualTo("a.txt\nb.txt\n");
        assertThat(berth.docker("run", "--rm", image, "stat", "-c", "%u:%g %n", "/owned/c.md", "/numeric.md",
                "/extracted/dir/inside.txt", "/extracted/zipped.txt").ok())
                .isEqualTo("65534:65534 /owned/c.md\n1234:1234 /numeric.md\n7:8 /extracted/dir/inside.txt\n"
                        + "0:0 /extracted/zipped.txt\n");
        assertThat(berth.docker("run", "--rm", image, "cat", "/extracted/dir/inside.txt", "/extracted/zipped.txt").ok())
                .isEqualTo("inside\nzipped\n");
        berth.docker("rmi", image).ok();
    }

    @Test
    void aHostileTarAnUnknownOwnerAndAUrlAreRefusedClearly() throws Exception {
        Path tar = context.resolve("hostile.tar");
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(Files.newOutputStream(tar))) {
            var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("../../escaped.txt");
            entry.setSize(1);
            out.putArchiveEntry(entry);
            out.write('x');
            out.closeArchiveEntry();
        }
        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nADD hostile.tar /x/\n");
        CliResult hostile = berth.docker("build", context.toString());
        assertThat(hostile.exitCode()).isNotZero();
        assertThat(hostile.stderr()).contains("hostile.tar").contains("escaped.txt");

        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nCOPY --chown=nosuchuser Dockerfile /x\n");
        CliResult owner = berth.docker("build", context.toString());
        assertThat(owner.exitCode()).isNotZero();
        assertThat(owner.stderr()).contains("nosuchuser");

        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nADD http://127.0.0.1:9/x.txt /x\n");
        CliResult url = berth.docker("build", context.toString());
        assertThat(url.exitCode()).isNotZero();
        assertThat(url.stderr()).contains("ADD of a URL");
        assertThat(berth.docker("ps", "-a", "-q").ok()).isEmpty();
    }

    @Test
    void healthcheckShellAndOnbuildLandInTheConfigAndTriggersRunInTheChild() throws Exception {
        Files.writeString(context.resolve("Dockerfile"), """
                FROM busybox
                SHELL ["/bin/echo", "through-the-shell:"]
                RUN ignored words
                SHELL ["/bin/sh", "-c"]
                HEALTHCHECK --interval=5s --timeout=2s --start-period=1s --retries=2 CMD test -e /
                ONBUILD RUN echo triggered > /trigger.txt
                """);
        String base = unique("base");
        String output = berth.docker("build", "-t", base, context.toString()).ok();
        assertThat(output).contains("\nthrough-the-shell: ignored words\n");
        assertThat(berth.docker("image", "inspect", "--format",
                "{{json .Config.Healthcheck}} {{json .Config.Shell}} {{json .Config.OnBuild}}", base).ok().trim())
                .isEqualTo("{\"Test\":[\"CMD-SHELL\",\"test -e /\"],\"Interval\":5000000000,\"Timeout\":2000000000,"
                        + "\"StartPeriod\":1000000000,\"Retries\":2} [\"/bin/sh\",\"-c\"]"
                        + " [\"RUN echo triggered > /trigger.txt\"]");

        Files.writeString(context.resolve("Dockerfile"), "FROM " + base + "\nHEALTHCHECK NONE\n");
        String child = unique("child");
        String childOutput = berth.docker("build", "-t", child, context.toString()).ok();
        assertThat(childOutput).contains("# Executing 1 build trigger\n");
        assertThat(berth.docker("run", "--rm", "--entrypoint", "cat", child, "/trigger.txt").ok()).isEqualTo("triggered\n");
        assertThat(berth.docker("image", "inspect", "--format", "{{json .Config.Healthcheck}} {{json .Config.OnBuild}}", child)
                .ok().trim()).isEqualTo("{\"Test\":[\"NONE\"]} null");
        berth.docker("rmi", child, base).ok();
    }

    @Test
    void aMissingBaseIsPulledAndOneNoRegistryHasIsAClearError() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            String repository = registry.address() + "/" + unique("base");
            registry.copyArchive(BerthDaemon.busyboxArchive(), repository.substring(repository.indexOf('/') + 1) + ":1");
            Files.writeString(context.resolve("Dockerfile"), "FROM " + repository + ":1\nRUN echo on-the-pulled-base\n");
            String image = unique("pulled");
            String output = berth.docker("build", "-t", image, context.toString()).ok();
            assertThat(output).contains("Pulling from " + repository.substring(repository.indexOf('/') + 1),
                    "Status: Downloaded newer image for " + repository + ":1", "\non-the-pulled-base\n");
            assertThat(berth.docker("image", "inspect", repository + ":1").exitCode()).isZero();

            Files.writeString(context.resolve("Dockerfile"), "FROM " + registry.address() + "/not-there:1\n");
            CliResult missing = berth.docker("build", context.toString());
            assertThat(missing.exitCode()).isNotZero();
            assertThat(missing.stderr()).contains("not-there");
            berth.docker("rmi", image, repository + ":1").ok();
        }
    }

    /** alice:s3cret-pw, bcrypt (cost 4) for the registry's htpasswd, as RegistryIT's. */
    private static final String ALICE = "alice:$2b$04$vBRPiJPhDuxF0DTY9HmWcOTebPV8sDO.OTiW83H/I2dxnEYGnaU9a";

    /**
     * A FROM pulled from a registry that wants a login uses the credentials the CLI sends for that
     * registry in X-Registry-Config (after docker login), for that build only: without them the
     * build fails with the registry's answer, and the daemon keeps no trace of the password.
     */
    @Test
    void aFromPullUsesTheCredentialsTheCliSendsForItsRegistry() throws Exception {
        Path tls = Files.createTempDirectory("berth-build-registry");
        Files.writeString(tls.resolve("htpasswd"), ALICE + "\n");
        try (LocalRegistry secured = LocalRegistry.startTls(tls, "auth:\n  htpasswd:\n    realm: berth-build\n    path: "
                + tls.resolve("htpasswd"))) {
            String address = secured.address();
            String base = address + "/" + unique("private") + ":1";
            assertThat(berth.docker("login", "-u", "alice", "-p", "s3cret-pw", address).ok()).contains("Login Succeeded");
            berth.docker("tag", "busybox", base).ok();
            berth.docker("push", base).ok();
            berth.docker("rmi", base).ok();

            Files.writeString(context.resolve("Dockerfile"), "FROM " + base + "\nRUN echo on-the-private-base\n");
            String image = unique("from-private");
            String output = berth.docker("build", "-t", image, context.toString()).ok();
            assertThat(output).contains("Status: Downloaded newer image for " + base, "\non-the-private-base\n");
            berth.docker("rmi", image).ok();
            berth.docker("rmi", base).ok();

            berth.docker("logout", address).ok();
            CliResult denied = berth.docker("build", context.toString());
            assertThat(denied.exitCode()).isNotZero();
            assertThat(denied.stderr()).contains("unauthorized");
            assertThat(berth.docker("image", "inspect", base).exitCode()).isNotZero();

            assertThat(berth.log()).doesNotContain("s3cret-pw");
            try (var files = Files.walk(berth.dataRoot())) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                            .as(file.toString()).doesNotContain("s3cret-pw");
                }
            }
        } finally {
            try (var paths = Files.walk(tls)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @Test
    void intermediateImagesAreHiddenFromImagesAndGoWithTheBuiltImage() throws Exception {
        String marker = unique("step");
        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nRUN echo " + marker + " > /one\nRUN echo two > /two\n");
        String image = unique("layered");
        berth.docker("build", "-t", image, context.toString()).ok();
        String intermediate = berth.docker("image", "inspect", "--format", "{{.Parent}}", image).ok().trim();
        assertThat(intermediate).startsWith("sha256:");
        assertThat(berth.docker("images", "-a", "-q", "--no-trunc").ok()).contains(intermediate);
        assertThat(berth.docker("images", "-q", "--no-trunc").ok()).doesNotContain(intermediate);
        assertThat(berth.docker("image", "prune", "-f").ok()).doesNotContain(intermediate);

        assertThat(berth.docker("rmi", image).ok()).contains("Deleted: " + intermediate);
        assertThat(berth.docker("image", "inspect", intermediate).exitCode()).isNotZero();
        assertThat(berth.docker("image", "inspect", "busybox").exitCode()).isZero();
    }

    private static String imageId(String image) throws Exception {
        return berth.docker("image", "inspect", "--format", "{{.Id}}", image).ok().trim();
    }

    /**
     * docker system df counts the cached steps (their bytes are the images', so 0B) and docker
     * builder prune forgets them; docker system prune, which calls it, works.
     */
    @Test
    void builderPruneForgetsTheStepsAndSystemPruneRuns() throws Exception {
        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nRUN echo pruned > /p.txt\n");
        String image = unique("pruned");
        berth.docker("build", "-t", image, context.toString()).ok();
        assertThat(berth.docker("build", "-t", image, context.toString()).ok()).contains("Using cache");

        String df = berth.docker("system", "df").ok();
        Matcher line = Pattern.compile("Build Cache\\s+(\\d+)\\s+0\\s+0B\\s+0B").matcher(df);
        assertThat(line.find()).as(df).isTrue();
        assertThat(Integer.parseInt(line.group(1))).isGreaterThanOrEqualTo(1);
        String usage = berth.rawGet("/v1.50/system/df?type=build-cache");
        assertThat(usage).contains("\"Description\":\"RUN echo pruned > /p.txt\"", "\"Type\":\"regular\"",
                "\"Shared\":true", "\"Size\":0").doesNotContain("\"Images\"", "\"Containers\"", "BuilderSize");
        assertThat(berth.rawGet("/v1.41/system/df")).contains("\"BuilderSize\":0", "\"Images\"", "\"Parent\":");
        assertThat(berth.rawGet("/v1.50/system/df?type=layers")).startsWith("HTTP/1.0 400").contains("unknown object type: layers");
        assertThat(berth.docker("system", "df", "-v").ok()).contains("Build cache usage:").containsPattern("[0-9a-f]{12}\\s+regular\\s+0B .*\\s+2\\s+true");

        String pruned = berth.docker("builder", "prune", "-f").ok();
        assertThat(pruned).contains("Total reclaimed space: 0B");
        assertThat(berth.docker("system", "df").ok()).containsPattern("Build Cache\\s+0\\s+0\\s+0B\\s+0B");
        assertThat(berth.docker("build", "-t", image, context.toString()).ok()).doesNotContain("Using cache");

        CliResult filtered = berth.docker("builder", "prune", "-f", "--filter", "until=24h");
        assertThat(filtered.exitCode()).isNotZero();
        assertThat(filtered.stderr()).contains("invalid filter 'until'");
        CliResult sized = berth.docker("builder", "prune", "-f", "--keep-storage", "1g");
        assertThat(sized.exitCode()).isNotZero();
        assertThat(sized.stderr()).contains("keep-storage");

        assertThat(berth.docker("system", "prune", "-f").ok()).contains("Total reclaimed space");
        assertThat(berth.docker("images", "-q", image).ok()).isNotEmpty();
        berth.docker("rmi", image).ok();
    }

    /** A client that leaves mid-RUN stops the build: the step's container is killed and removed, no image is made. */
    @Test
    void aClientThatLeavesDuringARunStopsTheBuildAndLeavesNothing() throws Exception {
        String marker = unique("left");
        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nRUN echo " + marker + " && sleep 30\n");
        String imagesBefore = berth.docker("images", "-a", "-q", "--no-trunc").ok();
        Process build = berth.dockerProcess("build", context.toString());
        try (var output = new java.io.BufferedReader(new java.io.InputStreamReader(build.getInputStream()))) {
            String line;
            while ((line = output.readLine()) != null && !line.equals(marker)) {
                // wait until the RUN's command is running
            }
            assertThat(line).as("the RUN step's output").isNotNull();
            assertThat(berth.docker("ps", "-a", "-q").ok()).isNotEmpty();
            build.destroy();
            assertThat(build.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (!berth.docker("ps", "-a", "-q").ok().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(berth.docker("ps", "-a", "-q").ok()).as("build containers left").isEmpty();
        assertThat(berth.docker("images", "-a", "-q", "--no-trunc").ok()).isEqualTo(imagesBefore);
        assertThat(berth.log()).contains("image.build cancelled by its client");
    }

    /** POST /build/cancel stops the build that POST /build started with that buildid, and ends its output saying so. */
    @Test
    void buildCancelStopsTheBuildWithThatIdAndNeedsAnId() throws Exception {
        String marker = unique("cancelled");
        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nRUN echo " + marker + " && sleep 30\n");
        byte[] tar = new ProcessBuilder("tar", "-C", context.toString(), "-cf", "-", "Dockerfile").start()
                .getInputStream().readAllBytes();
        String imagesBefore = berth.docker("images", "-a", "-q", "--no-trunc").ok();
        String buildId = unique("build");
        java.util.concurrent.CompletableFuture<String> response = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return berth.rawRequest("POST", "/v1.50/build?buildid=" + buildId, "application/x-tar", tar);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (berth.docker("ps", "-a", "-q").ok().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(berth.docker("ps", "-a", "-q").ok()).as("the RUN step's container").isNotEmpty();
        assertThat(berth.rawPost("/v1.50/build/cancel?id=" + buildId, "application/json", "")).startsWith("HTTP/1.1 200");
        String answer = response.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(answer).contains("the build was cancelled").doesNotContain("Successfully built");
        deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (!berth.docker("ps", "-a", "-q").ok().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(berth.docker("ps", "-a", "-q").ok()).as("build containers left").isEmpty();
        assertThat(berth.docker("images", "-a", "-q", "--no-trunc").ok()).isEqualTo(imagesBefore);

        assertThat(berth.rawPost("/v1.50/build/cancel", "application/json", "")).startsWith("HTTP/1.1 400")
                .contains("build ID not provided");
        assertThat(berth.rawPost("/v1.50/build/cancel?id=" + buildId, "application/json", "")).startsWith("HTTP/1.1 200");
    }
}
