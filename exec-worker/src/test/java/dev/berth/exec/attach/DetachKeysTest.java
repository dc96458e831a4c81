package dev.berth.exec.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import org.junit.jupiter.api.Test;

class DetachKeysTest {
    private static DetachKeys.Scan scan(DetachKeys keys, String input) {
        byte[] bytes = input.getBytes();
        return keys.scan(bytes, bytes.length);
    }

    @Test
    void dockersFormat() {
        assertThat(DetachKeys.parse("").sequence()).containsExactly(16, 17);
        assertThat(DetachKeys.parse(null).sequence()).containsExactly(16, 17);
        assertThat(DetachKeys.parse("a,ctrl-@,ctrl-[,ctrl-_").sequence()).containsExactly('a', 0, 27, 31);
        assertThatThrownBy(() -> DetachKeys.parse("ctrl-1")).isInstanceOf(EngineException.class)
                .hasMessage("Invalid detach keys (ctrl-1) provided");
        assertThatThrownBy(() -> DetachKeys.parse("ab")).isInstanceOf(EngineException.class);
    }

    @Test
    void passesInputAndDetachesOnTheWholeSequence() {
        DetachKeys keys = DetachKeys.parse("ctrl-p,ctrl-q");
        DetachKeys.Scan plain = scan(keys, "ls\n");
        assertThat(new String(plain.pass())).isEqualTo("ls\n");
        assertThat(plain.detach()).isFalse();
        DetachKeys.Scan detach = scan(keys, "ab\u0010\u0011cd");
        assertThat(new String(detach.pass())).isEqualTo("ab");
        assertThat(detach.detach()).isTrue();
    }

    @Test
    void holdsAStartAcrossReadsAndReleasesItWhenTheSequenceBreaks() {
        DetachKeys keys = DetachKeys.parse("ctrl-p,ctrl-q");
        DetachKeys.Scan held = scan(keys, "x\u0010");
        assertThat(new String(held.pass())).isEqualTo("x");
        DetachKeys.Scan released = scan(keys, "y");
        assertThat(new String(released.pass())).isEqualTo("\u0010y");
        assertThat(released.detach()).isFalse();
        scan(keys, "\u0010");
        assertThat(scan(keys, "\u0011").detach()).isTrue();
        DetachKeys.Scan doubled = scan(keys, "\u0010\u0010\u0011");
        assertThat(new String(doubled.pass())).isEqualTo("\u0010");
        assertThat(doubled.detach()).isTrue();
    }
}
