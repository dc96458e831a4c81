package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The README's walkthrough, command for command. */
class WalkthroughIT {
    @Test
    void readmeWalkthrough() throws Exception {
        try (BerthDaemon berth = BerthDaemon.start()) {
            assertThat(berth.shell("\"$BERTH_REPO/deploy/bin/mkimage\" busybox | " + BerthDaemon.DOCKER + " load").ok())
                    .contains("Loaded image: busybox:latest");
            assertThat(berth.docker("images", "--format", "{{.Repository}}:{{.Tag}}").ok().trim()).isEqualTo("busybox:latest");
            assertThat(berth.docker("run", "--rm", "busybox", "echo", "hello", "world").ok()).isEqualTo("hello world\n");
            String id = berth.docker("run", "-d", "--name", "web", "busybox", "sh", "-c", "echo serving; sleep 300").out();
            assertThat(berth.docker("ps", "--format", "{{.ID}} {{.Names}}").out()).isEqualTo(id.substring(0, 12) + " web");
            assertThat(berth.docker("inspect", "--format", "{{.State.Running}}", "web").out()).isEqualTo("true");
            berth.docker("stop", "-t", "1", "web").ok();
            berth.docker("rm", "web").ok();
        }
    }
}
