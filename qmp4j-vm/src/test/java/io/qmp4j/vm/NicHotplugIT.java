package io.qmp4j.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpFd;
import io.qmp4j.QmpFdPassingException;
import io.qmp4j.testkit.junit.RequiresQemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NIC hot-plug on {@code -machine pc -S} with no guest OS, backed by one end of a socketpair
 * passed with getfd; failure paths leave no netdev and no fd behind.
 */
@RequiresQemu
class NicHotplugIT {
    private RunningQemu q;
    private QmpFd[] pair;
    private String ourSocket;

    @BeforeEach
    void start() throws Exception {
        q = RunningQemu.pausedPc();
        pair = QmpFd.socketPair();
        ourSocket = Files.readSymbolicLink(Path.of("/proc/self/fd/" + pair[0].value())).toString();
    }

    @AfterEach
    void stop() {
        pair[0].close();
        pair[1].close();
        q.close();
    }

    private static NicSpec nic(String id, int slot) {
        return NicSpec.builder(id).backend("socket").mac("52:54:00:12:34:56").bus("pci.0").slot(slot).build();
    }

    @Test
    void plugShowsTheNicInQueryPciAtTheChosenSlot() {
        PluggedNic nic = q.vm.nics().plug(nic("nic1", 5), pair[0]);

        assertThat(nic).isEqualTo(new PluggedNic("nic1", "nic1"));
        assertThat(q.vm.pci().devices()).anySatisfy(d -> {
            assertThat(d.qdevId()).isEqualTo("nic1");
            assertThat(d.slot()).isEqualTo(5);
            assertThat(d.classCode()).isEqualTo(0x0200);
        });
        assertThat(q.vm.hasDevice("nic1")).isTrue();
        assertThat(q.network()).contains("nic1").contains("macaddr=52:54:00:12:34:56");
        assertThat(q.qemuFdTargets()).contains(ourSocket);
        assertThat(q.vm.pci().freeSlot(5)).hasValue(6);
    }

    @Test
    void pciUnplugWithoutAGuestTimesOutCleanlyAndKeepsTheNetdev() {
        PluggedNic nic = q.vm.nics().plug(nic("nic1", 5), pair[0]);

        assertThatThrownBy(() -> q.vm.withTimeout(Duration.ofMillis(500)).nics().unplug(nic))
                .isInstanceOf(VmTimeoutException.class)
                .hasMessageContaining("device nic1: no DEVICE_DELETED within 500 ms after device_del")
                .hasMessageContaining("ACPI hot-plug")
                .hasMessageContaining("left in place: netdev nic1");
        assertThat(q.network()).contains("nic1"); // netdev_del was not sent
        assertThat(q.vm.hasDevice("nic1")).isTrue();
        // a second attempt finds the unplug pending and waits again, without an error from QEMU
        assertThatThrownBy(() -> q.vm.withTimeout(Duration.ofMillis(300)).nics().unplugAsync(nic)
                .get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(VmTimeoutException.class);
    }

    @Test
    void duplicateIdRollsBackNetdevAndFd() {
        q.vm.nics().plug(nic("nic1", 5), pair[0]);
        QmpFd[] other = QmpFd.socketPair();
        try {
            NicSpec dup = NicSpec.builder("nic1").backend("socket").netdevId("net2").fdName("fd2").slot(6).build();
            assertThatThrownBy(() -> q.vm.nics().plug(dup, other[0]))
                    .isInstanceOfSatisfying(VmOperationException.class, e -> {
                        assertThat(e.failedStep()).isEqualTo("device_add nic1");
                        assertThat(e.rolledBack()).containsExactly("netdev_del net2", "closefd fd2");
                        assertThat(e.getCause()).isInstanceOf(QmpCommandException.class);
                    })
                    .hasMessageContaining("Duplicate device ID 'nic1'");
            assertThat(q.network()).doesNotContain("net2");
            assertNoNamedFd("fd2");
        } finally {
            other[0].close();
            other[1].close();
        }
    }

    @Test
    void occupiedSlotRollsBackNetdevAndFd() throws Exception {
        // slot 1 holds the PIIX3 ISA bridge on -machine pc
        assertThatThrownBy(() -> q.vm.nics().plugAsync(nic("nic1", 1), pair[0]).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(VmOperationException.class, e -> {
                    assertThat(e.failedStep()).isEqualTo("device_add nic1");
                    assertThat(e.rolledBack()).containsExactly("netdev_del nic1", "closefd fd-nic1");
                });
        assertThat(q.network()).doesNotContain("nic1");
        assertThat(q.vm.hasDevice("nic1")).isFalse();
        assertThat(q.qemuFdTargets()).doesNotContain(ourSocket); // netdev_del closed QEMU's copy
        assertNoNamedFd("fd-nic1");
    }

    @Test
    void unknownBusFailsAtDeviceAddAndRollsBack() {
        NicSpec spec = NicSpec.builder("nic1").backend("socket").bus("pci.7").build();
        assertThatThrownBy(() -> q.vm.nics().plug(spec, pair[0])).isInstanceOf(VmOperationException.class)
                .hasMessageContaining("undone: netdev_del nic1, closefd fd-nic1");
        assertThat(q.network()).doesNotContain("nic1");
    }

    @Test
    void fdNotPassedSendsNothingElse() {
        pair[0].close(); // our descriptor is closed: getfd cannot carry it
        assertThatThrownBy(() -> q.vm.nics().plug(nic("nic1", 5), pair[0]))
                .isInstanceOfSatisfying(VmOperationException.class, e -> {
                    assertThat(e.failedStep()).isEqualTo("getfd fd-nic1");
                    assertThat(e.rolledBack()).isEmpty();
                    assertThat(e.getCause()).isInstanceOf(QmpFdPassingException.class);
                });
        assertThat(q.network()).doesNotContain("nic1");
        assertNoNamedFd("fd-nic1");
    }

    @Test
    void netdevAddFailureClosesTheNamedFd() {
        q.qmp.execute("netdev_add", Map.of("type", "user", "id", "taken"));
        NicSpec spec = NicSpec.builder("nic1").backend("socket").netdevId("taken").build();
        assertThatThrownBy(() -> q.vm.nics().plug(spec, pair[0]))
                .isInstanceOfSatisfying(VmOperationException.class, e -> {
                    assertThat(e.failedStep()).isEqualTo("netdev_add taken");
                    assertThat(e.rolledBack()).containsExactly("closefd fd-nic1");
                });
        assertNoNamedFd("fd-nic1");
        assertThat(q.qemuFdTargets()).doesNotContain(ourSocket);
    }

    @Test
    void unknownModelIsRefusedBeforeAnythingIsSent() {
        NicSpec spec = NicSpec.builder("nic1").model("no-such-nic").build();
        assertThatThrownBy(() -> q.vm.nics().plug(spec, pair[0])).isInstanceOf(VmUnsupportedException.class)
                .hasMessageContaining("lacks device type no-such-nic; nothing was sent");
        assertThat(q.qemuFdTargets()).doesNotContain(ourSocket);
    }

    /** QEMU has no query for getfd names: closefd of a name it does not hold fails with "not found". */
    private void assertNoNamedFd(String name) {
        assertThatThrownBy(() -> q.qmp.closefd(name)).isInstanceOf(QmpCommandException.class)
                .hasMessageContaining("not found");
    }

    @Test
    void fourNicsPlugConcurrentlyWithTheAsyncForm() throws Exception {
        QmpFd[][] pairs = new QmpFd[4][];
        try {
            java.util.List<java.util.concurrent.CompletableFuture<PluggedNic>> plugs = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                pairs[i] = QmpFd.socketPair();
                plugs.add(q.vm.nics().plugAsync(NicSpec.builder("c" + i).backend("socket").slot(10 + i).build(),
                        pairs[i][0]));
            }
            for (java.util.concurrent.CompletableFuture<PluggedNic> f : plugs) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertThat(q.vm.pci().devices()).filteredOn(d -> d.qdevId().startsWith("c"))
                    .extracting(PciDevice::slot).containsExactlyInAnyOrder(10, 11, 12, 13);
        } finally {
            for (QmpFd[] p : pairs) {
                if (p != null) {
                    p[0].close();
                    p[1].close();
                }
            }
        }
    }
}
