package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobCodecTest {
    record Limits(Long memory, List<String> devices) {
    }

    record Sample(String name, Integer count, Boolean flag, Limits limits) {
    }

    @Test
    void nullFieldsAreAbsentBothWays() {
        Sample decoded = JobCodec.decode(new JsonObject("{\"name\":null,\"count\":3,\"flag\":null,\"limits\":null}"), Sample.class);
        assertThat(decoded).isEqualTo(new Sample(null, 3, null, null));
        assertThat(JobCodec.encode(decoded).fieldNames()).containsExactly("count");
    }

    @Test
    void roundTripsNestedRecords() {
        Sample sample = new Sample("a", 1, true, new Limits(5L, List.of("/dev/null")));
        assertThat(JobCodec.decode(JobCodec.encode(sample), Sample.class)).isEqualTo(sample);
    }

    @Test
    void wrongJsonTypeNamesTheField() {
        assertThatThrownBy(() -> JobCodec.decode(new JsonObject("{\"limits\":{\"memory\":\"lots\"}}"), Sample.class))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("limits.memory").contains("a number");
                });
        assertThatThrownBy(() -> JobCodec.decode(new JsonObject("{\"name\":{\"x\":1}}"), Sample.class))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.getMessage()).contains("name"));
    }

    @Test
    void unknownFieldsAreIgnoredSoNewerPeersStillTalk() {
        assertThat(JobCodec.decode(new JsonObject("{\"count\":2,\"later\":true}"), Sample.class).count()).isEqualTo(2);
    }

    @Test
    void voidRepliesDecodeToNull() {
        assertThat(JobCodec.decode(new JsonObject(), Void.class)).isNull();
        assertThat(JobCodec.encode(null)).isEqualTo(new JsonObject());
    }
}
