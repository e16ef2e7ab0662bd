package io.qmp4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpConnection;
import io.qmp4j.api.events.DeviceDeletedEvent;
import io.qmp4j.api.events.ResumeEvent;
import io.qmp4j.api.events.StopEvent;
import io.qmp4j.api.types.NamedBlockNodesInfo;
import io.qmp4j.api.types.BlockdevAddArguments;
import io.qmp4j.api.types.QomListResult;
import io.qmp4j.api.types.StatusInfo;
import io.qmp4j.api.types.StatusInfoStatus;
import io.qmp4j.api.types.VersionInfo;
import io.qmp4j.testkit.junit.RequiresQemu;
import io.qmp4j.testkit.qemu.QemuProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The generated typed API running real commands against QEMU 7.2. */
@RequiresQemu
class QemuApiIT {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private QemuProcess qemu;
    private QmpConnection qmp;

    private QemuApi start(QemuProcess process) {
        qemu = process;
        qmp = QmpConnection.builder(qemu.qmpSocket()).build();
        qmp.connect();
        return QemuApi.of(qmp);
    }

    private QemuApi pausedPc(String... extraArgs) {
        return start(QemuProcess.builder().machine("pc").memoryMiB(64).startPaused(true).extraArgs(extraArgs).start());
    }

    @AfterEach
    void stop() {
        if (qmp != null) {
            qmp.close();
        }
        if (qemu != null) {
            qemu.close();
        }
    }

    @Test
    void queryStatusAndQueryVersionReturnRecords() throws Exception {
        QemuApi api = start(QemuProcess.start());
        StatusInfo status = api.queryStatus();
        assertThat(status.status()).isIn(StatusInfoStatus.RUNNING, StatusInfoStatus.PRELAUNCH);
        assertThat(status.singlestep()).isFalse();
        VersionInfo version = api.queryVersionAsync().get(5, TimeUnit.SECONDS);
        assertThat(version.qemu().major()).isEqualTo(qmp.greeting().version().major());
        assertThat(version.package_()).isEqualTo(qmp.greeting().version().packaging());
    }

    @Test
    void qomListAndHumanMonitorCommand() {
        QemuApi api = start(QemuProcess.start());
        List<QomListResult> machine = api.qomList("/machine");
        assertThat(machine).extracting(QomListResult::name).contains("type", "peripheral");
        assertThat(machine).allSatisfy(p -> assertThat(p.type()).isNotBlank());
        assertThat(api.humanMonitorCommand("info status")).startsWith("VM status: ");
        assertThat(api.humanMonitorCommand("info version", null)).startsWith(String.valueOf(qmp.greeting().version().major()));
    }

    @Test
    void stopAndContEmitTypedEvents() {
        QemuApi api = pausedPc();
        api.cont();
        assertThat(api.awaitEvent(ResumeEvent.class, WAIT)).isEqualTo(new ResumeEvent());
        assertThat(api.queryStatus().running()).isTrue();
        api.stop();
        assertThat(api.awaitEvent(StopEvent.class, WAIT)).isEqualTo(new StopEvent());
        assertThat(api.queryStatus().status()).isEqualTo(StatusInfoStatus.PAUSED);
    }

    @Test
    void blockdevAddOfANullCoNodeAndItsRemoval() {
        QemuApi api = pausedPc();
        api.blockdevAdd(BlockdevAddArguments.NullCo.builder().nodeName("null0").size(1L << 20).readZeroes(true).build());
        NamedBlockNodesInfo node = api.queryNamedBlockNodes().stream()
                .filter(n -> "null0".equals(n.nodeName())).findFirst().orElseThrow();
        assertThat(node.drv()).isEqualTo("null-co");
        assertThat(node.image().virtualSize()).isEqualTo(1L << 20);
        api.blockdevDel("null0");
        assertThat(api.queryNamedBlockNodes()).noneMatch(n -> "null0".equals(n.nodeName()));
    }

    @Test
    void deviceAddWithPropertiesAndDeviceDelWithItsTypedEvent() {
        QemuApi api = pausedPc("-device", "virtio-serial-pci,id=vs");
        api.deviceAdd("virtserialport", null, "port1", Map.of("name", "org.qmp4j.test"));
        assertThat(api.qomList("/machine/peripheral")).extracting(QomListResult::name).contains("port1");
        api.deviceDel("port1");
        DeviceDeletedEvent deleted = api.awaitEvent(DeviceDeletedEvent.class, WAIT);
        assertThat(deleted).isEqualTo(new DeviceDeletedEvent("port1", "/machine/peripheral/port1"));
    }

    @Test
    void qemuErrorsStayTyped() {
        QemuApi api = start(QemuProcess.start());
        assertThatThrownBy(() -> api.deviceDel("no-such-device")).isInstanceOf(QmpCommandException.class)
                .hasMessageContaining("no-such-device");
    }
}
