package io.qmp4j.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmp4j.QmpFd;
import io.qmp4j.testkit.junit.RequiresQemu;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk hot-plug against real QEMU 7.2 with no guest: scsi-hd on virtio-scsi-pci (unplugs at
 * once), virtio-blk-pci (plugs; its unplug needs a guest), images from a file and from an fd set.
 */
@RequiresQemu
class DiskHotplugIT {
    private static final String[] SCSI = {"-device", "virtio-scsi-pci,id=scsi0"};
    @TempDir
    Path tmp;
    private Path image;

    @BeforeEach
    void image() throws IOException {
        image = tmp.resolve("disk.raw");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
    }

    @Test
    void scsiDiskFromAFilePlugsAndUnplugsCompletely() {
        try (RunningQemu q = RunningQemu.pausedPc(SCSI)) {
            PluggedDisk disk = q.vm.disks().plug(DiskSpec.file("disk1", image).withDevice("scsi-hd", "scsi0.0"));

            assertThat(disk).isEqualTo(new PluggedDisk("disk1", "node-disk1", null));
            assertThat(q.nodeNames()).contains("node-disk1");
            assertThat(q.vm.hasDevice("disk1")).isTrue();

            q.vm.disks().unplug(disk);
            assertThat(q.vm.hasDevice("disk1")).isFalse();
            assertThat(q.nodeNames()).doesNotContain("node-disk1");
            // again: the missing device counts as unplugged, the missing node does not
            assertThatThrownBy(() -> q.vm.disks().unplug(disk)).isInstanceOf(io.qmp4j.QmpCommandException.class)
                    .hasMessageContaining("blockdev-del").hasMessageContaining("node-disk1");
        }
    }

    @Test
    void scsiDiskFromAnFdSetPlugsAndUnplugsAndRemovesTheSet() {
        try (RunningQemu q = RunningQemu.pausedPc(SCSI); QmpFd fd = QmpFd.open(image, true)) {
            q.vm.cont(); // QEMU 7.2 closes removed fd-set members only while the VM runs
            PluggedDisk disk = q.vm.disks().plug(DiskSpec.fd("disk1", fd).withDevice("scsi-hd", "scsi0.0"));
            assertThat(disk.fdsetId()).isNotNull();
            assertThat(q.fdsets().toString()).contains(Disks.fdsetNote("disk1"));
            assertThat(q.nodeNames()).contains("node-disk1");

            // forget the set id: unplug finds it by its note
            q.vm.disks().unplug(new PluggedDisk("disk1", "node-disk1", null));
            assertThat(q.fdsets()).isEmpty();
            assertThat(q.nodeNames()).doesNotContain("node-disk1");
            assertThat(q.qemuFdTargets()).doesNotContain(image.toString());
        }
    }

    @Test
    void virtioBlkDiskInAChosenSlot() {
        try (RunningQemu q = RunningQemu.pausedPc()) {
            q.vm.disks().plug(DiskSpec.file("vd1", image).withFormat("raw").withReadOnly(true).withSlot(7));
            assertThat(q.vm.pci().devices()).anySatisfy(d -> {
                assertThat(d.qdevId()).isEqualTo("vd1");
                assertThat(d.slot()).isEqualTo(7);
            });
            assertThatThrownBy(() -> q.vm.withTimeout(Duration.ofMillis(300)).disks()
                    .unplug(new PluggedDisk("vd1", "node-vd1", null)))
                    .isInstanceOf(VmTimeoutException.class).hasMessageContaining("left in place: block node node-vd1");
            assertThat(q.nodeNames()).contains("node-vd1");
        }
    }

    @Test
    void duplicateIdRollsBackTheNodeAndTheFdSet() {
        try (RunningQemu q = RunningQemu.pausedPc(SCSI); QmpFd fd = QmpFd.open(image, true)) {
            q.vm.cont();
            q.vm.disks().plug(DiskSpec.file("disk1", image).withDevice("scsi-hd", "scsi0.0"));
            DiskSpec dup = DiskSpec.fd("disk1", fd).withNodeName("other").withDevice("scsi-hd", "scsi0.0");

            assertThatThrownBy(() -> q.vm.disks().plug(dup)).isInstanceOfSatisfying(VmOperationException.class, e -> {
                assertThat(e.failedStep()).isEqualTo("device_add disk1");
                assertThat(e.rolledBack()).containsExactly("blockdev-del other", "remove-fd fdset");
            });
            assertThat(q.nodeNames()).doesNotContain("other").contains("node-disk1");
            assertThat(q.fdsets()).isEmpty();
        }
    }

    @Test
    void missingImageFailsAtBlockdevAddAndRemovesTheFdSet() {
        try (RunningQemu q = RunningQemu.pausedPc(SCSI)) {
            assertThatThrownBy(() -> q.vm.disks().plug(DiskSpec.file("disk1", tmp.resolve("absent.raw"))))
                    .isInstanceOfSatisfying(VmOperationException.class, e -> {
                        assertThat(e.failedStep()).isEqualTo("blockdev-add node-disk1");
                        assertThat(e.rolledBack()).isEmpty();
                    }).hasMessageContaining("absent.raw");
            assertThat(q.nodeNames()).doesNotContain("node-disk1");
        }
    }

    @Test
    void removedFdSetMembersStayWhileTheVmIsPaused() {
        // A QEMU 7.2 quirk the unplug documents: remove-fd only marks a descriptor while the VM
        // is not running; QEMU closes it at the next fd-set clean-up after the VM runs.
        try (RunningQemu q = RunningQemu.pausedPc(SCSI); QmpFd fd = QmpFd.open(image, true)) {
            PluggedDisk disk = q.vm.disks().plug(DiskSpec.fd("disk1", fd).withDevice("scsi-hd", "scsi0.0"));
            q.vm.disks().unplug(disk);
            assertThat(q.fdsets()).hasSize(1);
            q.vm.cont();
            q.qmp.removeFd(disk.fdsetId(), null); // a clean-up trigger; the set is still there, so this works
            assertThat(q.fdsets()).isEmpty();
        }
    }

    @Test
    void badBusRollsBackAfterAddFd() {
        try (RunningQemu q = RunningQemu.pausedPc(); QmpFd fd = QmpFd.open(image, true)) {
            q.vm.cont();
            assertThatThrownBy(() -> q.vm.disks().plug(DiskSpec.fd("disk1", fd).withDevice("scsi-hd", "scsi9.0")))
                    .isInstanceOf(VmOperationException.class)
                    .hasMessageContaining("undone: blockdev-del node-disk1, remove-fd fdset");
            assertThat(q.fdsets()).isEmpty();
            assertThat(q.nodeNames()).isEmpty();
        }
    }

    @Test
    void qcow2DiskPlugsAsQcow2() throws Exception {
        Path qcow2 = tmp.resolve("disk.qcow2");
        java.nio.file.Files.createFile(qcow2);
        try (RunningQemu q = RunningQemu.pausedPc(SCSI)) {
            formatQcow2(q, qcow2);
            PluggedDisk disk = q.vm.disks().plug(DiskSpec.file("disk1", qcow2).withFormat("qcow2")
                    .withDevice("scsi-hd", "scsi0.0"));
            assertThat(q.qmp.execute("query-named-block-nodes")).anySatisfy(n -> {
                assertThat(n.path("node-name").asText()).isEqualTo("node-disk1");
                assertThat(n.path("drv").asText()).isEqualTo("qcow2");
            });
            q.vm.disks().unplug(disk);
            assertThat(q.nodeNames()).doesNotContain("node-disk1");
        }
    }

    /** Formats {@code file} as a 1 MiB qcow2 image with QEMU's own blockdev-create job (no qemu-img needed). */
    private static void formatQcow2(RunningQemu q, Path file) {
        q.qmp.execute("blockdev-add", java.util.Map.of("driver", "file", "node-name", "fmt", "filename",
                file.toString()));
        try (io.qmp4j.event.EventSubscription jobs = q.qmp.subscribe(io.qmp4j.event.EventFilter
                .named("JOB_STATUS_CHANGE").whereData("status", "concluded"))) {
            q.qmp.execute("blockdev-create", java.util.Map.of("job-id", "fmt", "options",
                    java.util.Map.of("driver", "qcow2", "file", "fmt", "size", 1 << 20)));
            jobs.take(Duration.ofSeconds(10));
        }
        assertThat(q.qmp.execute("query-jobs").get(0).has("error")).isFalse();
        q.qmp.execute("job-dismiss", java.util.Map.of("id", "fmt"));
        q.qmp.execute("blockdev-del", java.util.Map.of("node-name", "fmt"));
    }
}
