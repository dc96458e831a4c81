package dev.berth.exec.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.container.ContainerConfig;
import dev.berth.bus.contract.container.ContainerConfig.HealthConfig;
import dev.berth.bus.contract.container.ContainerHealth;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthStateTest {
    private static final long S = 1_000_000_000L;

    private static HealthConfig check(Long interval, Long startPeriod, Long startInterval, Integer retries) {
        return new HealthConfig(List.of("CMD", "true"), interval, null, startPeriod, startInterval, retries);
    }

    private static ContainerHealth.Probe result(int code) {
        return new ContainerHealth.Probe("start", "end", code, "out " + code);
    }

    @Test
    void theFirstProbeComesAfterOneIntervalAndTheNextAfterTheEndOfTheLast() {
        HealthState h = new HealthState(check(2 * S, null, null, null), "run", 0, null);
        assertThat(h.claimProbe(2 * S - 1)).isFalse();
        assertThat(h.claimProbe(2 * S)).isTrue();
        assertThat(h.claimProbe(10 * S)).as("one probe at a time").isFalse();
        h.record(result(0), 2 * S, 3 * S);
        assertThat(h.claimProbe(5 * S - 1)).isFalse();
        assertThat(h.claimProbe(5 * S)).isTrue();
    }

    @Test
    void defaultsAreDockerdsThirtySecondsAndThreeRetries() {
        HealthState h = new HealthState(check(null, null, null, null), "run", 0, null);
        assertThat(h.timeoutNanos()).isEqualTo(30 * S);
        assertThat(h.claimProbe(30 * S - 1)).isFalse();
        long now = 30 * S;
        for (int i = 0; i < 2; i++) {
            assertThat(h.claimProbe(now)).isTrue();
            assertThat(h.record(result(1), now, now)).isNull();
            now += 30 * S;
        }
        assertThat(h.claimProbe(now)).isTrue();
        assertThat(h.record(result(1), now, now)).isEqualTo(ContainerHealth.UNHEALTHY);
    }

    @Test
    void aPassIsHealthyAndResetsTheStreak() {
        HealthState h = new HealthState(check(S, null, null, 2), "run", 0, null);
        assertThat(h.status()).isEqualTo(ContainerHealth.STARTING);
        h.claimProbe(S);
        assertThat(h.record(result(1), S, S)).isNull();
        assertThat(h.view().failingStreak()).isEqualTo(1);
        h.claimProbe(2 * S);
        assertThat(h.record(result(0), 2 * S, 2 * S)).isEqualTo(ContainerHealth.HEALTHY);
        assertThat(h.view().failingStreak()).isZero();
        h.claimProbe(3 * S);
        assertThat(h.record(result(2), 3 * S, 3 * S)).as("any non-zero code is a failure").isNull();
        h.claimProbe(4 * S);
        assertThat(h.record(result(1), 4 * S, 4 * S)).isEqualTo(ContainerHealth.UNHEALTHY);
        h.claimProbe(5 * S);
        assertThat(h.record(result(0), 5 * S, 5 * S)).isEqualTo(ContainerHealth.HEALTHY);
    }

    @Test
    void failuresInsideTheStartPeriodDoNotCountWhileStarting() {
        HealthState h = new HealthState(check(10 * S, 5 * S, S, 1), "run", 0, null);
        assertThat(h.claimProbe(S)).as("the start interval inside the start period").isTrue();
        assertThat(h.record(result(1), S, S)).isNull();
        assertThat(h.status()).isEqualTo(ContainerHealth.STARTING);
        assertThat(h.view().failingStreak()).isZero();
        h.claimProbe(2 * S);
        h.record(result(0), 2 * S, 2 * S);
        h.claimProbe(12 * S);
        assertThat(h.record(result(1), 3 * S, 3 * S)).as("once healthy, a failure counts even inside the period")
                .isEqualTo(ContainerHealth.UNHEALTHY);
        HealthState late = new HealthState(check(10 * S, 5 * S, S, 1), "run", 0, null);
        late.claimProbe(10 * S);
        assertThat(late.record(result(1), 6 * S, 7 * S)).isEqualTo(ContainerHealth.UNHEALTHY);
    }

    @Test
    void theLogKeepsTheLastFiveAndCarriesOverToTheNextRun() {
        HealthState h = new HealthState(check(S, null, null, null), "run1", 0, null);
        for (int i = 1; i <= 7; i++) {
            h.claimProbe(i * S);
            h.record(result(i), i * S, i * S);
        }
        assertThat(h.view().log()).extracting(ContainerHealth.Probe::exitCode).containsExactly(3, 4, 5, 6, 7);
        HealthState next = new HealthState(check(S, null, null, null), "run2", 100 * S, h);
        assertThat(next.belongsTo("run1")).isFalse();
        assertThat(next.status()).isEqualTo(ContainerHealth.STARTING);
        assertThat(next.view().failingStreak()).isZero();
        assertThat(next.view().log()).hasSize(5);
    }

    @Test
    void anAbandonedProbeSchedulesTheNextWithoutAResult() {
        HealthState h = new HealthState(check(S, null, null, null), "run", 0, null);
        h.claimProbe(S);
        h.probeAbandoned(S);
        assertThat(h.view().log()).isEmpty();
        assertThat(h.claimProbe(2 * S)).isTrue();
    }

    @Test
    void shellChecksRunInTheContainersShellAndCmdChecksAsGiven() {
        ContainerConfig plain = ContainerConfig.empty();
        assertThat(HealthMonitor.command(plain, new HealthConfig(List.of("CMD-SHELL", "test -f /ok"), null, null, null, null, null)))
                .containsExactly("/bin/sh", "-c", "test -f /ok");
        assertThat(HealthMonitor.command(plain, new HealthConfig(List.of("CMD", "cat", "/ok"), null, null, null, null, null)))
                .containsExactly("cat", "/ok");
    }

    @Test
    void timeoutsReadAsGoDurations() {
        assertThat(HealthMonitor.goDuration(S)).isEqualTo("1s");
        assertThat(HealthMonitor.goDuration(30 * S)).isEqualTo("30s");
        assertThat(HealthMonitor.goDuration(500_000_000L)).isEqualTo("500ms");
        assertThat(HealthMonitor.goDuration(90 * S)).isEqualTo("1m30s");
        assertThat(HealthMonitor.goDuration(1_500_000_000L)).isEqualTo("1.5s");
    }
}
