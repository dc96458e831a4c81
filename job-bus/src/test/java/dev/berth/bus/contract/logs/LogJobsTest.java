package dev.berth.bus.contract.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.JobCodec;
import dev.berth.bus.Locality;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** logs.read keeps the name and the argument fields that JSON callers send. */
class LogJobsTest {
    @Test
    void readLogsDecodesTheJsonArgumentsOfToday() {
        assertThat(LogJobTypes.READ.name()).isEqualTo("logs.read");
        assertThat(LogJobTypes.READ.streaming()).isTrue();
        assertThat(LogJobTypes.READ.locality()).isEqualTo(Locality.NODE_LOCAL);
        JsonObject json = new JsonObject().put("ref", "web").put("stdout", true).put("stderr", false).put("follow", true)
                .put("tail", 5).put("since", 1_700_000_000_500_000_000L).put("until", 0L);
        ReadLogs args = JobCodec.decode(json, ReadLogs.class);
        assertThat(args).isEqualTo(new ReadLogs("web", true, false, true, 5, 1_700_000_000_500_000_000L, 0L));
        assertThat(JobCodec.encode(args)).isEqualTo(json);
        assertThat(JobCodec.decode(new JsonObject().put("ref", "web"), ReadLogs.class))
                .isEqualTo(new ReadLogs("web", false, false, false, null, null, null));
        assertThat(JobCodec.decode(new JsonObject().put("tty", true), LogsHeader.class).tty()).isTrue();
    }
}
