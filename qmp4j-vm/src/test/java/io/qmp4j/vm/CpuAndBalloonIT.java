package io.qmp4j.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmp4j.QmpCommandException;
import io.qmp4j.testkit.junit.RequiresQemu;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** vCPU hot-plug ({@code -smp 1,maxcpus=2}) and the balloon without a guest driver, on real QEMU 7.2. */
@RequiresQemu
class CpuAndBalloonIT {
    private static final long MIB = 1 << 20;

    @Test
    void plugsACpuIntoTheFreeSlotUntilNoneIsLeft() {
        try (RunningQemu q = RunningQemu.pausedPc("-smp", "1,maxcpus=2")) {
            java.util.List<HotpluggableCpu> before = q.vm.cpus().slots();
            assertThat(before).hasSize(2).filteredOn(HotpluggableCpu::plugged).hasSize(1);
            HotpluggableCpu free = before.stream().filter(c -> !c.plugged()).findFirst().orElseThrow();

            HotpluggableCpu used = q.vm.cpus().plug("cpu1");
            assertThat(used).isEqualTo(free);
            assertThat(used.props().has("socket-id")).isTrue();
            assertThat(q.qmp.execute("query-cpus-fast")).hasSize(2);
            assertThat(q.vm.cpus().slots()).allMatch(HotpluggableCpu::plugged);
            assertThat(q.vm.hasDevice("cpu1")).isTrue();

            assertThatThrownBy(() -> q.vm.cpus().plug("cpu2")).isInstanceOf(VmOperationException.class)
                    .hasMessageContaining("no free vCPU slot (all 2 plugged");
        }
    }

    @Test
    void balloonTargetIsSetButWithoutAGuestDriverTheResizeTimesOut() {
        try (RunningQemu q = RunningQemu.pausedPc("-device", "virtio-balloon-pci,id=balloon0")) {
            assertThat(q.vm.balloon().actualBytes()).isEqualTo(64 * MIB);
            q.vm.balloon().setTarget(48 * MIB);
            assertThatThrownBy(() -> q.vm.withTimeout(Duration.ofMillis(400)).balloon().resize(32 * MIB, MIB))
                    .isInstanceOf(VmTimeoutException.class)
                    .hasMessageContaining("balloon: actual 64 MiB, target 32 MiB")
                    .hasMessageContaining("no virtio-balloon driver");
            // already there: returns at once
            assertThat(q.vm.balloon().resize(64 * MIB, 0)).isEqualTo(64 * MIB);
        }
    }

    @Test
    void balloonWithoutADeviceFailsWithQemusReason() {
        try (RunningQemu q = RunningQemu.pausedPc()) {
            assertThatThrownBy(() -> q.vm.balloon().actualBytes()).isInstanceOf(QmpCommandException.class)
                    .hasMessageContaining("DeviceNotActive");
        }
    }
}
