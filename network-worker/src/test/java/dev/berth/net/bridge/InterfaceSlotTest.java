package dev.berth.net.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InterfaceSlotTest {
    private static final String ID = "0123456789abcdef".repeat(4);

    @Test
    void eth0KeepsTheHostEndItHadBeforeContainersHadSeveralNetworks() {
        InterfaceSlot first = InterfaceSlot.of(ID, 0, true);
        assertThat(first.insideName()).isEqualTo("eth0");
        assertThat(first.hostVeth()).isEqualTo("vb0123456789ab");
        assertThat(first.defaultRoute()).isTrue();
    }

    @Test
    void everySlotHasItsOwnHostEndWithinFifteenBytes() {
        Set<String> seen = new HashSet<>();
        for (int index = 0; index <= InterfaceSlot.MAX_INDEX; index++) {
            InterfaceSlot slot = InterfaceSlot.of(ID, index, false);
            assertThat(slot.insideName()).isEqualTo("eth" + index);
            assertThat(slot.hostVeth().length()).as(slot.hostVeth()).isLessThanOrEqualTo(15);
            assertThat(seen.add(slot.hostVeth())).as(slot.hostVeth()).isTrue();
        }
        // Another container whose id begins the same way never gets an ethN host end of this one: 'n' is not hex.
        assertThat(InterfaceSlot.of(ID, 1, false).hostVeth()).isEqualTo("vb0123456789n1");
        assertThatThrownBy(() -> InterfaceSlot.of(ID, 100, false)).isInstanceOf(IllegalArgumentException.class);
    }
}
