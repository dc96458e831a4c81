package dev.berth.api.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.archive.PathStat;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PathStatJsonTest {
    @Test
    void modes_are_gos_file_modes() {
        assertThat(PathStatJson.goFileMode(0040755)).isEqualTo(2147484141L); // a directory, as dockerd answers /bin
        assertThat(PathStatJson.goFileMode(0120777)).isEqualTo(134218239L);  // a symlink
        assertThat(PathStatJson.goFileMode(0100644)).isEqualTo(420L);
        assertThat(PathStatJson.goFileMode(0104755)).isEqualTo((1L << 23) | 0755);
        assertThat(PathStatJson.goFileMode(0041777)).isEqualTo((1L << 31) | (1L << 20) | 0777);
        assertThat(PathStatJson.goFileMode(0020666)).isEqualTo((1L << 26) | (1L << 21) | 0666);
    }

    @Test
    void the_header_is_base64_json() {
        String header = PathStatJson.header(new PathStat("gzip", 12, 0120777, "2019-10-21T13:39:33Z", "/bin/busybox"));
        JsonObject decoded = new JsonObject(new String(Base64.getDecoder().decode(header), StandardCharsets.UTF_8));
        assertThat(decoded).isEqualTo(new JsonObject().put("name", "gzip").put("size", 12L).put("mode", 134218239L)
                .put("mtime", "2019-10-21T13:39:33Z").put("linkTarget", "/bin/busybox"));
    }
}
