package io.qmp4j.it;

import io.qmp4j.testkit.FakeQmpServer;
import java.nio.file.Path;

/** The connection contract against the test kit's fake server (no QEMU needed). */
class FakeQmpServerContractTest extends QmpConnectionContract {
    private FakeQmpServer server;

    @Override
    Path startServer() throws Exception {
        server = new FakeQmpServer();
        server.start();
        return server.socketPath();
    }

    @Override
    void stopServer() {
        server.close();
    }
}
