package io.qmp4j.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.testkit.FakeQmpServer;
import io.qmp4j.testkit.RecordedCommand;
import io.qmp4j.testkit.ScriptedReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failures real QEMU cannot be made to produce on demand, scripted on the fake server: an undo
 * that fails, a step that never answers, a capability QEMU lacks, a migration that fails.
 * Each test checks the exact commands the server received.
 */
class RollbackWithFakeQemuTest {
    private FakeQmpServer server;
    private QmpConnection qmp;
    private QemuVm vm;

    @BeforeEach
    void start() throws Exception {
        server = new FakeQmpServer();
        server.start();
        qmp = QmpConnection.builder(server.socketPath()).commandTimeout(Duration.ofSeconds(2)).build();
        qmp.connect();
        vm = QemuVm.of(qmp);
    }

    @AfterEach
    void stop() {
        qmp.close();
        server.close();
    }

    private void commands(String... names) {
        StringBuilder json = new StringBuilder("[");
        for (String n : names) {
            json.append(json.length() > 1 ? "," : "").append("{\"name\":\"").append(n).append("\"}");
        }
        server.enqueue(ScriptedReply.builder().forCommand("query-commands").returnsJson(json + "]").build());
    }

    private void reply(String command, String json) {
        server.enqueue(ScriptedReply.builder().forCommand(command).returnsJson(json).build());
    }

    private void error(String command, String errorClass, String description) {
        server.enqueue(ScriptedReply.builder().forCommand(command).error(errorClass, description).build());
    }

    private List<String> received() throws InterruptedException {
        List<String> names = new ArrayList<>();
        RecordedCommand c;
        while ((c = server.takeCommand(Duration.ofMillis(200))) != null) {
            names.add(c.name());
        }
        return names;
    }

    @Test
    void aFailedUndoIsReportedAndAttachedNeverHidingTheCause() throws Exception {
        commands("blockdev-add", "blockdev-del", "device_add", "device_del");
        reply("qom-list-types", "[{\"name\":\"virtio-blk-pci\"}]");
        reply("blockdev-add", "{}");
        error("device_add", "GenericError", "Bus 'pci.9' not found");
        error("blockdev-del", "GenericError", "Node 'node-d1' is busy: block device is in use by device");

        assertThatThrownBy(() -> vm.disks().plug(DiskSpec.file("d1", Path.of("/img")).withDevice("virtio-blk-pci",
                "pci.9"))).isInstanceOfSatisfying(VmOperationException.class, e -> {
                    assertThat(e.getCause()).isInstanceOf(QmpCommandException.class)
                            .hasMessageContaining("Bus 'pci.9' not found");
                    assertThat(e.rolledBack()).isEmpty();
                    assertThat(e.getSuppressed()).singleElement().asString().contains("is busy");
                    assertThat(e).hasMessageContaining("UNDO FAILED, may be left behind: blockdev-del");
                });
        assertThat(received()).containsExactly("qmp_capabilities", "query-commands", "qom-list-types",
                "blockdev-add", "device_add", "blockdev-del");
    }

    @Test
    void aStepThatNeverAnswersIsUndoneAndSaidToMaybeHappenLater() throws Exception {
        commands("blockdev-add", "blockdev-del", "device_add", "device_del");
        reply("qom-list-types", "[{\"name\":\"scsi-hd\"}]");
        reply("blockdev-add", "{}");
        server.enqueue(ScriptedReply.builder().forCommand("device_add").delay(Duration.ofMillis(1200))
                .returnsJson("{}").build());
        reply("blockdev-del", "{}"); // QEMU runs it after the late device_add: within the undo's own 2 s

        assertThatThrownBy(() -> vm.withTimeout(Duration.ofMillis(500)).disks()
                .plug(DiskSpec.file("d1", Path.of("/img")).withDevice("scsi-hd", null)))
                .isInstanceOfSatisfying(VmOperationException.class, e -> {
                    assertThat(e.getCause()).isInstanceOf(QmpTimeoutException.class);
                    assertThat(e.rolledBack()).containsExactly("blockdev-del node-d1");
                })
                .hasMessageContaining("QEMU may still carry it out");
    }

    @Test
    void aMissingCommandSendsNothingButTheQuestion() throws Exception {
        commands("getfd", "closefd", "device_add", "device_del", "netdev_del"); // no netdev_add
        try (io.qmp4j.QmpFd fd = io.qmp4j.QmpFd.open(Path.of("/dev/null"), false)) {
            assertThatThrownBy(() -> vm.nics().plug(NicSpec.builder("n1").build(), fd))
                    .isInstanceOfSatisfying(VmUnsupportedException.class,
                            e -> assertThat(e.missing()).containsExactly("netdev_add"))
                    .hasMessageContaining("NIC hot-plug is not supported by this QEMU")
                    .hasMessageContaining("nothing was sent");
        }
        assertThat(vm.canHotplugNic()).isFalse(); // asked once: the answer is cached
        assertThat(received()).containsExactly("qmp_capabilities", "query-commands");
    }

    @Test
    void aFailedMigrationCarriesQemusReason() {
        commands("migrate", "migrate-incoming", "query-migrate", "migrate_cancel", "migrate-set-capabilities",
                "migrate-set-parameters");
        reply("migrate-set-capabilities", "{}");
        reply("migrate", "{}");
        reply("query-migrate", "{\"status\":\"active\",\"ram\":{\"transferred\":1000,\"remaining\":9000,"
                + "\"total\":10000,\"mbps\":100.5}}");
        reply("query-migrate", "{\"status\":\"failed\",\"error-desc\":\"Unable to write to socket: Broken pipe\"}");
        List<MigrationProgress> seen = new ArrayList<>();

        assertThatThrownBy(() -> vm.migration().migrate("unix:/x", seen::add))
                .isInstanceOf(VmOperationException.class)
                .hasMessage("migration to unix:/x failed: Unable to write to socket: Broken pipe");
        assertThat(seen).extracting(MigrationProgress::status).containsExactly("active", "failed");
        assertThat(seen.get(0).transferredBytes()).isEqualTo(1000);
        assertThat(seen.get(0).mbps()).isEqualTo(100.5);
    }

    @Test
    void aGuestThatRefusesTheUnplugEndsTheWaitAtOnceAndKeepsTheNetdev() throws Exception {
        commands("getfd", "closefd", "netdev_add", "netdev_del", "device_add", "device_del");
        server.enqueue(ScriptedReply.builder().forCommand("device_del").returnsJson("{}")
                .eventAfter("DEVICE_UNPLUG_GUEST_ERROR", new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree("{\"device\":\"n1\",\"path\":\"/machine/peripheral/n1\"}")).build());
        long start = System.nanoTime();

        assertThatThrownBy(() -> vm.nics().unplug(new PluggedNic("n1", "net1")))
                .isInstanceOf(VmOperationException.class)
                .hasMessage("device n1: the guest refused the unplug (DEVICE_UNPLUG_GUEST_ERROR); the device stays;"
                        + " left in place: netdev net1 (the guest may still use the device; unplug again later)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5)); // not the 30 s
        assertThat(received()).containsExactly("qmp_capabilities", "query-commands", "device_del");
    }

    @Test
    void aConnectionThatClosesDuringTheUnplugWaitFailsAtOnce() {
        commands("getfd", "closefd", "netdev_add", "netdev_del", "device_add", "device_del");
        server.enqueue(ScriptedReply.builder().forCommand("device_del").returnsJson("{}").closeAfterReply().build());
        long start = System.nanoTime();

        assertThatThrownBy(() -> vm.nics().unplug(new PluggedNic("n1", "n1")))
                .isInstanceOf(io.qmp4j.QmpConnectionClosedException.class)
                .hasMessageContaining("closed while waiting for events DEVICE_DELETED|DEVICE_UNPLUG_GUEST_ERROR");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
}
