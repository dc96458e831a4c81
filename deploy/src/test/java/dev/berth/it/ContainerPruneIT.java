package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** docker container prune with the real CLI: stopped containers only, with label and until filters. */
class ContainerPruneIT {
    @Test
    void pruneRemovesStoppedContainersTheFiltersKeep() throws Exception {
        try (BerthDaemon berth = BerthDaemon.start()) {
            berth.loadBusybox();
            berth.docker("run", "-d", "--name", "cp-running", "busybox", "sleep", "300").ok();
            berth.docker("run", "--name", "cp-keep", "--label", "keep=yes", "busybox", "true").ok();
            berth.docker("create", "--name", "cp-created", "busybox", "true").ok();
            berth.docker("run", "--name", "cp-exited", "--label", "tier=old", "busybox", "sh", "-c", "exit 3");
            String exitedId = berth.docker("inspect", "--format", "{{.Id}}", "cp-exited").out();

            String out = berth.docker("container", "prune", "-f", "--filter", "label=tier=old").ok();
            assertThat(out).contains(exitedId).contains("Total reclaimed space");
            assertThat(berth.docker("ps", "-a", "--format", "{{.Names}}").out().lines())
                    .containsExactlyInAnyOrder("cp-running", "cp-keep", "cp-created");

            assertThat(berth.docker("container", "prune", "-f", "--filter", "until=2000-01-01T00:00:00Z").ok())
                    .doesNotContain("cp-");
            assertThat(berth.docker("ps", "-aq").out().lines()).hasSize(3);

            berth.docker("container", "prune", "-f", "--filter", "label!=keep").ok();
            assertThat(berth.docker("ps", "-a", "--format", "{{.Names}}").out().lines())
                    .containsExactlyInAnyOrder("cp-running", "cp-keep");

            berth.docker("container", "prune", "-f").ok();
            assertThat(berth.docker("ps", "-a", "--format", "{{.Names}}").out()).isEqualTo("cp-running");

            CliResult bad = berth.docker("container", "prune", "-f", "--filter", "status=exited");
            assertThat(bad.exitCode()).isNotZero();
            assertThat(bad.stderr()).contains("invalid filter 'status'");
            berth.docker("rm", "-f", "cp-running").ok();
        }
    }
}
