package dev.berth.graph.commit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.graph.testing.TarBuilder;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TarImporterTest {
    static BufferedInputStream input(byte[] bytes) {
        return new BufferedInputStream(new ByteArrayInputStream(bytes));
    }

    @Test
    void aTarOrAnEmptyTarIsAccepted() {
        byte[] tar = new TarBuilder().file("a", "x".getBytes(StandardCharsets.UTF_8), 0644, 0, 0).build();
        assertThatCode(() -> TarImporter.checkIsTar(input(tar))).doesNotThrowAnyException();
        assertThatCode(() -> TarImporter.checkIsTar(input(new byte[1024]))).doesNotThrowAnyException();
    }

    @Test
    void textAndEmptyBodiesAreRefused() {
        byte[] text = "not a tar ".repeat(100).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> TarImporter.checkIsTar(input(text))).isInstanceOf(EngineException.class)
                .hasMessage("the archive to import is not a tar archive");
        assertThatThrownBy(() -> TarImporter.checkIsTar(input(new byte[0]))).isInstanceOf(EngineException.class)
                .hasMessage("the archive to import is empty");
    }
}
