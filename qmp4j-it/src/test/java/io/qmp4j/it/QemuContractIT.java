package io.qmp4j.it;

import io.qmp4j.testkit.junit.RequiresQemu;
import io.qmp4j.testkit.qemu.QemuProcess;
import java.nio.file.Path;

/** The connection contract against a real QEMU ({@code -machine none}), one per test. */
@RequiresQemu
class QemuContractIT extends QmpConnectionContract {
    private QemuProcess qemu;

    @Override
    Path startServer() {
        qemu = QemuProcess.start();
        return qemu.qmpSocket();
    }

    @Override
    void stopServer() {
        qemu.close();
    }
}
