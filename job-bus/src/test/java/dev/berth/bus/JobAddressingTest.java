package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobAddressingTest {
    record Path(String path) {
    }

    private static final JobType<Path, Path> MOUNT =
            JobType.request("snapshot.mount", WorkerKind.GRAPH, Path.class, Path.class).nodeLocal().withDeadline(Duration.ofSeconds(30));
    private static final Map<String, JobType<?, ?>> KNOWN = Map.of(MOUNT.name(), MOUNT);
    private static final long NOW = 1_000_000;

    private static Job resolve(Job job) {
        return JobAddressing.resolve(job, "n1", KNOWN::get, NOW);
    }

    @Test
    void aJobWithoutADeadlineGetsItsTypesOrTheDefault() {
        assertThat(resolve(Job.of("snapshot.mount", new JsonObject())).deadlineMillis()).isEqualTo(NOW + 30_000);
        assertThat(resolve(Job.of("image.list", new JsonObject())).deadlineMillis())
                .isEqualTo(NOW + JobType.DEFAULT_DEADLINE.toMillis());
        assertThat(resolve(Job.of("image.list", new JsonObject()).withDeadline(NOW + 5)).deadlineMillis()).isEqualTo(NOW + 5);
    }

    @Test
    void aNodeLocalJobGoesToTheCallersNodeAndNowhereElse() {
        Job byName = resolve(Job.of("snapshot.mount", new JsonObject()));
        assertThat(byName.locality()).isEqualTo(Locality.NODE_LOCAL);
        assertThat(byName.node()).isEqualTo("n1");
        Job typed = resolve(Job.of(MOUNT, new Path("/x")));
        assertThat(typed.node()).isEqualTo("n1");
        assertThat(resolve(Job.of(MOUNT, new Path("/x")).onNode("n1")).node()).isEqualTo("n1");
        assertThatThrownBy(() -> resolve(Job.of(MOUNT, new Path("/x")).onNode("n2")))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL))
                .hasMessageContaining("snapshot.mount is node-local").hasMessageContaining("n2");
    }

    @Test
    void anyNodeJobsKeepTheirNodeOrNone() {
        Job job = resolve(Job.of("image.list", new JsonObject()));
        assertThat(job.locality()).isEqualTo(Locality.ANY_NODE);
        assertThat(job.node()).isNull();
        assertThat(resolve(Job.of("image.list", new JsonObject()).onNode("n2")).node()).isEqualTo("n2");
    }

    @Test
    void localityAndDeadlineTravelWithTheJob() {
        Job job = resolve(Job.of("snapshot.mount", new JsonObject().put("id", "c1")));
        assertThat(Job.fromJson(job.toJson())).isEqualTo(job);
    }
}
