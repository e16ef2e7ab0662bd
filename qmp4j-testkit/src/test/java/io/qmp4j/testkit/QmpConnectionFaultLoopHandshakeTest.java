package io.qmp4j.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The same fault matrix with the handshake run by the event loop, as qmp4j-core does without
 * JNA and over TCP and TLS (with JNA on the class path, as here, {@link QmpConnectionFaultTest}
 * runs the handshake on the caller thread). Both must fail alike.
 */
class QmpConnectionFaultLoopHandshakeTest extends QmpConnectionFaultTest {
    private static final String CALLER_HANDSHAKE = "qmp4j.callerHandshake";

    @BeforeEach
    void handshakeOnTheEventLoop() {
        System.setProperty(CALLER_HANDSHAKE, "false");
    }

    @AfterEach
    void handshakeOnTheCallerAgain() {
        System.clearProperty(CALLER_HANDSHAKE);
    }

    @Override
    boolean handshakeOnCaller() {
        return false;
    }
}
