package dev.berth.graph.testing;

import dev.berth.graph.content.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** Image configs for tests. */
public final class TestImages {
    private TestImages() {
    }

    public static byte[] config(List<byte[]> layers, String extraConfig) {
        String diffIds = layers.stream().map(l -> "\"" + Digest.of(l) + "\"").collect(Collectors.joining(","));
        String json = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-05-01T12:00:00.123456789Z\","
                + "\"author\":\"tests\",\"config\":{\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sh\"]" + extraConfig + "},"
                + "\"history\":[{\"created\":\"2024-05-01T12:00:00Z\",\"created_by\":\"test\"}],"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
