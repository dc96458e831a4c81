package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
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

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
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
        assertThat(first).doesNotContain("Using cache").contains("ran with plain");
        String firstId = imageId(image);

        String again = berth.docker("build", "-t", image, context.toString()).ok();
        assertThat(again).contains("Step 3/5 : COPY input.txt /in.txt\n ---> Using cache\n",
                "Step 5/5 : ENV DONE=yes\n ---> Using cache\n").doesNotContain("ran with", "Running in");
        assertThat(imageId(image)).isEqualTo(firstId);

        String otherArg = berth.docker("build", "--build-arg", "FLAVOUR=lemon", "-t", image, context.toString()).ok();
        assertThat(otherArg).contains("Step 3/5 : COPY input.txt /in.txt\n ---> Using cache\n", "ran with lemon");

        Files.writeString(context.resolve("input.txt"), "second\n");
        String changed = berth.docker("build", "-t", image, context.toString()).ok();
        assertThat(changed).doesNotContain("Using cache").contains("ran with plain");
        assertThat(berth.docker("run", "--rm", image, "head", "-1", "/out.txt").ok()).isEqualTo("second\n");

        String noCache = berth.docker("build", "--no-cache", "-t", image, context.toString()).ok();
        assertThat(noCache).doesNotContain("Using cache").contains("ran with plain");
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

    private static String imageId(String image) throws Exception {
        return berth.docker("image", "inspect", "--format", "{{.Id}}", image).ok().trim();
    }
}
