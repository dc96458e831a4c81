package dev.berth.exec.oci;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CapabilitiesTest {
    @Test
    void masksMapToNamesByBit() {
        assertThat(Capabilities.fromMask("0000000000000001")).containsExactly("CAP_CHOWN");
        assertThat(Capabilities.fromMask("00000000a80425fb")).contains("CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE",
                "CAP_SYS_CHROOT", "CAP_MKNOD", "CAP_AUDIT_WRITE", "CAP_SETFCAP").doesNotContain("CAP_SYS_ADMIN").hasSize(14);
    }

    @Test
    void theDaemonsBoundingSetIsReadable() {
        assertThat(Capabilities.ofThisProcess()).contains("CAP_CHOWN");
    }
}
