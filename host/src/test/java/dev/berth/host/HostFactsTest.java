package dev.berth.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostFactsTest {
    @Test
    void readsTheKernelAndMachine() {
        assertThat(HostFacts.kernelVersion()).isEqualTo(System.getProperty("os.version"));
        assertThat(HostFacts.goArchitecture()).isIn("amd64", "arm64");
        assertThat(HostFacts.memoryTotalBytes()).isGreaterThan(64L << 20);
        assertThat(HostFacts.hostname()).isNotBlank();
    }

    @Test
    void detectsTheCgroupLayoutFromTheFilesystems() {
        HostFacts.CgroupMode mode = HostFacts.cgroupMode();
        boolean v1Memory = java.nio.file.Files.isDirectory(java.nio.file.Path.of("/sys/fs/cgroup/memory"));
        assertThat(mode == HostFacts.CgroupMode.UNIFIED).isEqualTo(!v1Memory);
    }

    @Test
    void sockaddrHoldsFamilyAndNulTerminatedPath() {
        byte[] address = SeqPacketSocket.sockaddrUn("/a/b");
        assertThat(address).hasSize(2 + 4 + 1);
        assertThat(address[0]).isEqualTo((byte) 1);
        assertThat(address[6]).isZero();
    }
}
