package io.qmp4j.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmp4j.QmpFd;
import io.qmp4j.testkit.junit.RequiresQemu;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The paths that need a guest OS, against one booted {@link TinyGuest} (Linux 6.1 under TCG):
 * PCI unplug completes because the guest's ACPI hot-plug code ejects the device, and the balloon
 * moves because its virtio driver runs. Slow group: tag {@code slow-guest}
 * ({@code -DexcludedGroups=slow-guest} leaves it out); skipped with a reason when the guest is
 * not prepared, failed instead when {@code -Dqmp4j.requireGuest=true} (./test.sh as root, CI).
 */
@RequiresQemu
@Tag("slow-guest")
@ExtendWith(GuestCondition.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuestHotplugIT {
    private static final long MIB = 1 << 20;
    private Path work;
    private RunningQemu q;

    @BeforeAll
    void boot() throws Exception {
        Optional<String> missing = TinyGuest.missing();
        if (missing.isPresent()) { // GuestCondition let it run: the guest is required
            throw new AssertionError(missing.get() + " (-D" + TinyGuest.REQUIRE_PROPERTY + "=true)");
        }
        work = Files.createTempDirectory("qmp4j-guest-");
        Path initramfs = work.resolve("initrd.cpio");
        Path console = work.resolve("console.log");
        TinyGuest.writeInitramfs(initramfs);
        q = new RunningQemu(TinyGuest.qemu(initramfs, console, 128,
                "-device", "virtio-balloon-pci,id=balloon0"));
        TinyGuest.awaitReady(console, Duration.ofSeconds(120));
    }

    @AfterAll
    void stop() throws IOException {
        if (q != null) {
            q.close();
        }
        if (work != null) {
            try (var files = Files.list(work)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(work);
        }
    }

    @Test
    void nicUnplugWaitsForTheGuestThenDeletesTheNetdev() throws Exception {
        QmpFd[] pair = QmpFd.socketPair();
        try {
            String ours = Files.readSymbolicLink(Path.of("/proc/self/fd/" + pair[0].value())).toString();
            int slot = q.vm.pci().freeSlot().orElseThrow();
            PluggedNic nic = q.vm.nics().plug(NicSpec.builder("gnic1").backend("socket").slot(slot).build(), pair[0]);
            assertThat(q.vm.hasDevice("gnic1")).isTrue();

            q.vm.withTimeout(Duration.ofSeconds(30)).nics().unplug(nic);

            assertThat(q.vm.hasDevice("gnic1")).isFalse();
            assertThat(q.network()).doesNotContain("gnic1");
            assertThat(q.qemuFdTargets()).doesNotContain(ours);
            assertThat(q.vm.pci().freeSlot()).hasValue(slot);
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }

    @Test
    void virtioBlkUnplugWaitsForTheGuestThenDeletesTheNode() throws IOException {
        Path image = work.resolve("disk.raw");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        PluggedDisk disk = q.vm.disks().plug(DiskSpec.file("gvd1", image));
        assertThat(q.nodeNames()).contains("node-gvd1");

        q.vm.withTimeout(Duration.ofSeconds(30)).disks().unplug(disk);

        assertThat(q.vm.hasDevice("gvd1")).isFalse();
        assertThat(q.nodeNames()).doesNotContain("node-gvd1");
    }

    @Test
    void balloonResizeFollowsTheGuestDriver() {
        assertThat(q.vm.balloon().actualBytes()).isEqualTo(128 * MIB);
        long actual = q.vm.withTimeout(Duration.ofSeconds(30)).balloon().resize(96 * MIB, MIB);
        assertThat(actual).isBetween(95 * MIB, 97 * MIB);
        assertThat(q.vm.withTimeout(Duration.ofSeconds(30)).balloon().resize(128 * MIB, MIB))
                .isBetween(127 * MIB, 128 * MIB);
    }

    @Test
    @Order(Integer.MAX_VALUE) // ends the guest
    void powerdownEndsWithTheGuestsOwnShutdown() throws Exception {
        assertThat(q.vm.withTimeout(Duration.ofSeconds(30)).powerdown(true)).isEqualTo(PowerdownResult.GUEST_SHUTDOWN);
        assertThat(q.qemu.waitFor(Duration.ofSeconds(10))).hasValue(0);
    }
}
