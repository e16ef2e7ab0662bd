package io.qmp4j.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmp4j.ConnectionState;
import io.qmp4j.QmpCommandException;
import io.qmp4j.event.EventFilter;
import io.qmp4j.testkit.junit.RequiresQemu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run state, power, HMP, console passwords, screendump and capabilities against real QEMU 7.2. */
@RequiresQemu
class QemuVmIT {
    @TempDir
    Path tmp;

    @Test
    void statusStopContResetFollowTheRunState() throws Exception {
        try (RunningQemu q = RunningQemu.pausedPc()) {
            assertThat(q.vm.status()).isEqualTo(new VmStatus("prelaunch", false));
            q.vm.cont();
            assertThat(q.vm.status()).isEqualTo(new VmStatus("running", true));
            q.vm.stopAsync().get(5, TimeUnit.SECONDS);
            assertThat(q.qmp.awaitEvent(EventFilter.named("STOP"), Duration.ofSeconds(5)).name()).isEqualTo("STOP");
            assertThat(q.vm.statusAsync().get(5, TimeUnit.SECONDS).status()).isEqualTo("paused");
            q.vm.reset();
            assertThat(q.qmp.awaitEvent(EventFilter.named("RESET"), Duration.ofSeconds(5)).data()
                    .path("reason").asText()).isEqualTo("host-qmp-system-reset");
        }
    }

    @Test
    void powerdownWithoutAGuestTimesOutAndSaysWhy() {
        try (RunningQemu q = RunningQemu.pausedPc()) {
            q.vm.cont();
            assertThatThrownBy(() -> q.vm.withTimeout(Duration.ofMillis(300)).powerdown(false))
                    .isInstanceOf(VmTimeoutException.class)
                    .hasMessageContaining("no SHUTDOWN within 300 ms after system_powerdown")
                    .hasMessageContaining("the VM still runs");
            assertThat(q.vm.status().running()).isTrue();
        }
    }

    @Test
    void powerdownWithForceQuitEndsQemu() throws Exception {
        try (RunningQemu q = RunningQemu.pausedPc()) {
            q.vm.cont();
            assertThat(q.vm.withTimeout(Duration.ofMillis(300)).powerdownAsync(true).get(10, TimeUnit.SECONDS))
                    .isEqualTo(PowerdownResult.FORCED_QUIT);
            assertThat(q.qemu.waitFor(Duration.ofSeconds(10))).hasValue(0);
            q.qmp.closeFuture().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(q.qmp.state()).isEqualTo(ConnectionState.CLOSED);
        }
    }

    @Test
    void hmpReturnsTheText() {
        try (RunningQemu q = RunningQemu.pausedPc()) {
            assertThat(q.vm.hmp("info status")).contains("VM status: paused (prelaunch)");
        }
    }

    @Test
    void capabilitiesComeFromQueryCommands() {
        try (RunningQemu q = RunningQemu.pausedPc()) {
            assertThat(q.vm.canHotplugNic()).isTrue();
            assertThat(q.vm.canHotplugDisk()).isTrue();
            assertThat(q.vm.canHotplugCpu()).isTrue();
            for (VmCapability c : VmCapability.values()) {
                assertThat(q.vm.supports(c)).as(c.name()).isTrue();
            }
        }
    }

    @Test
    void vncAndSpicePasswordsAreSetAndExpiredAndNeverShownInErrors() {
        Path vnc = tmp.resolve("vnc.sock");
        try (RunningQemu q = RunningQemu.pausedPc("-vnc", "unix:" + vnc + ",password=on")) {
            q.vm.consoles().setPassword(ConsoleProtocol.VNC, "s3cret!");
            q.vm.consoles().expirePassword(ConsoleProtocol.VNC, PasswordExpiry.after(Duration.ofHours(1)));
            q.vm.consoles().expirePassword(ConsoleProtocol.VNC, PasswordExpiry.at(Instant.now().plusSeconds(60)));
            q.vm.consoles().expirePassword(ConsoleProtocol.VNC, PasswordExpiry.never());
            q.vm.consoles().expirePassword(ConsoleProtocol.VNC, PasswordExpiry.now());
        }
        Path spice = tmp.resolve("spice.sock");
        try (RunningQemu q = RunningQemu.pausedPc("-spice", "unix=on,addr=" + spice)) {
            q.vm.consoles().setPassword(ConsoleProtocol.SPICE, "s3cret!");
            q.vm.consoles().expirePassword(ConsoleProtocol.SPICE, PasswordExpiry.after(Duration.ofMinutes(5)));
        }
        try (RunningQemu q = RunningQemu.pausedPc()) { // no VNC display: QEMU refuses
            assertThatThrownBy(() -> q.vm.consoles().setPassword(ConsoleProtocol.VNC, "hunter2-topsecret"))
                    .isInstanceOf(QmpCommandException.class)
                    .satisfies(e -> assertThat(e.toString()).doesNotContain("hunter2"))
                    .hasMessageContaining("set_password");
            assertThatThrownBy(() -> q.vm.consoles().setPassword(ConsoleProtocol.SPICE, "hunter2-topsecret"))
                    .satisfies(e -> assertThat(e.toString()).doesNotContain("hunter2"));
        }
    }

    @Test
    void screendumpWritesTheDisplay() throws IOException {
        try (RunningQemu q = RunningQemu.pausedPc("-device", "VGA")) {
            Path ppm = tmp.resolve("screen.ppm");
            q.vm.consoles().screendump(ppm);
            assertThat(Files.readString(ppm, java.nio.charset.StandardCharsets.ISO_8859_1)).startsWith("P6\n");
            Path png = tmp.resolve("screen.png");
            q.vm.consoles().screendump(png, "png");
            assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
        }
    }

    @Test
    void pciListsDevicesAndFindsTheFirstFreeSlot() {
        try (RunningQemu q = RunningQemu.pausedPc("-device", "virtio-balloon-pci,id=balloon0,addr=0x02")) {
            assertThat(q.vm.pci().devices()).anySatisfy(d -> {
                assertThat(d.qdevId()).isEqualTo("balloon0");
                assertThat(d.slot()).isEqualTo(2);
                assertThat(d.vendorId()).isEqualTo(0x1af4);
            });
            // pc: host bridge in 0, PIIX in 1, balloon in 2
            assertThat(q.vm.pci().freeSlot()).hasValue(3);
            assertThat(q.vm.pci().freeSlot(10)).hasValue(10);
            assertThat(q.vm.hasDevice("balloon0")).isTrue();
            assertThat(q.vm.hasDevice("nothing")).isFalse();
        }
    }

    @Test
    void deleteDeviceWaitsForDeviceDeleted() {
        try (RunningQemu q = RunningQemu.pausedPc("-device", "qemu-xhci,id=usb", "-device", "usb-tablet,id=tab")) {
            assertThat(q.vm.hasDevice("tab")).isTrue();
            q.vm.deleteDevice("tab");
            assertThat(q.vm.hasDevice("tab")).isFalse();
            assertThatThrownBy(() -> q.vm.deleteDevice("tab")).isInstanceOf(QmpCommandException.class)
                    .hasMessageContaining("DeviceNotFound");
        }
    }
}
