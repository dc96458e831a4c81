package dev.berth.exec.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignalsTest {
    @ParameterizedTest
    @CsvSource({"TERM,15", "SIGTERM,15", "sigkill,9", "9,9", "USR1,10", "SIGHUP,1", "RTMIN,34", "RTMIN+3,37", "RTMAX,64", "WINCH,28"})
    void parsesNamesAndNumbers(String name, int number) {
        assertThat(Signals.parse(name)).isEqualTo(number);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NOPE", "0", "65", "-1", "SIG", "RTMIN+40", " "})
    void refusesTheRest(String name) {
        assertThatThrownBy(() -> Signals.parse(name)).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
            assertThat(e.getMessage()).startsWith("Invalid signal:");
        });
    }

    @Test
    void nullIsInvalid() {
        assertThatThrownBy(() -> Signals.parse(null)).isInstanceOf(EngineException.class);
    }

    @Test
    void aNumberTooLongForAnIntIsAnInvalidSignal() {
        for (String huge : new String[] {"99999999999999", "4294967311", "9".repeat(40)}) {
            assertThatThrownBy(() -> Signals.parse(huge)).as(huge).isInstanceOf(EngineException.class)
                    .hasMessageContaining("Invalid signal");
        }
    }
}
