package io.qmp4j.it.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmp4j.ConnectionState;
import io.qmp4j.QmpAddress;
import io.qmp4j.QmpConnectException;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpTlsOptions;
import io.qmp4j.testkit.junit.RequiresQemu;
import io.qmp4j.testkit.tls.TestPki;
import io.qmp4j.testkit.qemu.QemuProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS against QEMU's {@code tls-creds-x509} (endpoint=server), with a PKI generated at test
 * time: a good certificate, a wrong CA, a certificate for another name, a required client
 * certificate, and the explicit insecure mode.
 */
@RequiresQemu
class TlsIT {
    @TempDir
    static Path pki;

    static TestPki.Issued ca;
    static Path caPem;
    static Path otherCaPem;
    static Path clientCert;
    static Path clientKey;
    static Path goodServerDir;
    static Path wrongNameServerDir;

    @BeforeAll
    static void makePki() throws Exception {
        ca = TestPki.ca("qmp4j test CA");
        caPem = TestPki.writeCertificate(pki.resolve("ca.pem"), ca);
        otherCaPem = TestPki.writeCertificate(pki.resolve("other-ca.pem"), TestPki.ca("some other CA"));
        goodServerDir = TestPki.writeServerDir(pki.resolve("good"), ca,
                TestPki.server(ca, List.of("localhost"), List.of("127.0.0.1")));
        wrongNameServerDir = TestPki.writeServerDir(pki.resolve("wrong-name"), ca,
                TestPki.server(ca, List.of("elsewhere.example"), List.of("192.0.2.7")));
        TestPki.Issued client = TestPki.client(ca, "qmp4j client");
        clientCert = TestPki.writeCertificate(pki.resolve("client-cert.pem"), client);
        clientKey = TestPki.writeKey(pki.resolve("client-key.pem"), client);
    }

    /** QEMU with a TLS TCP monitor {@code tlsmon} using {@code dir}; {@code verifyPeer} asks for client certificates. */
    private static QemuProcess qemuWithTls(Path dir, boolean verifyPeer) {
        String[] args = Monitors.tcpServer("tlsmon", "127.0.0.1", "tls-creds=tls0");
        String[] all = new String[args.length + 2];
        all[0] = "-object";
        all[1] = "tls-creds-x509,id=tls0,dir=" + dir + ",endpoint=server,verify-peer=" + (verifyPeer ? "on" : "off");
        System.arraycopy(args, 0, all, 2, args.length);
        return QemuProcess.builder().extraArgs(all).start();
    }

    private static QmpConnection tls(QemuProcess qemu, QmpTlsOptions options) {
        return QmpConnection.builder(QmpAddress.tcp("127.0.0.1", Monitors.tcpPort(qemu, "tlsmon"))).tls(options).build();
    }

    @Test
    void goodCertificateWithClientCertificate() {
        try (QemuProcess qemu = qemuWithTls(goodServerDir, true);
                QmpConnection qmp = tls(qemu, QmpTlsOptions.builder().trustedCertificates(caPem)
                        .clientCertificate(clientCert, clientKey).build())) {
            qmp.connect();
            assertThat(qmp.execute("query-status").path("status").asText()).isEqualTo("running");
            assertThat(qmp.execute("query-qmp-schema").size()).isGreaterThan(1000); // 207 KB through TLS records
        }
    }

    @Test
    void hostNameCanBeCheckedAgainstAGivenName() {
        try (QemuProcess qemu = qemuWithTls(wrongNameServerDir, false);
                QmpConnection qmp = tls(qemu, QmpTlsOptions.builder().trustedCertificates(caPem)
                        .serverName("elsewhere.example").build())) {
            qmp.connect();
            assertThat(qmp.execute("query-status").path("status").asText()).isEqualTo("running");
        }
    }

    @Test
    void wrongCaIsRejected() {
        try (QemuProcess qemu = qemuWithTls(goodServerDir, false);
                QmpConnection qmp = tls(qemu, QmpTlsOptions.builder().trustedCertificates(otherCaPem).build())) {
            assertThatThrownBy(qmp::connect).isInstanceOf(QmpConnectException.class)
                    .hasMessageContaining("TLS handshake with tcp:127.0.0.1:")
                    .hasMessageContaining("not signed by a trusted CA");
            assertThat(qmp.state()).isEqualTo(ConnectionState.IDLE);
        }
    }

    @Test
    void certificateForAnotherNameIsRejected() {
        try (QemuProcess qemu = qemuWithTls(wrongNameServerDir, false);
                QmpConnection qmp = tls(qemu, QmpTlsOptions.builder().trustedCertificates(caPem).build())) {
            assertThatThrownBy(qmp::connect).isInstanceOf(QmpConnectException.class)
                    .hasMessageContaining("does not name this host");
        }
    }

    @Test
    void missingClientCertificateIsRejectedByQemu() {
        try (QemuProcess qemu = qemuWithTls(goodServerDir, true);
                QmpConnection qmp = tls(qemu, QmpTlsOptions.builder().trustedCertificates(caPem).build())) {
            // TLS 1.3: QEMU rejects after the client's Finished, so the handshake looks fine and the
            // connection closes before the greeting.
            assertThatThrownBy(qmp::connect).isInstanceOf(QmpConnectException.class)
                    .hasMessageContaining("requires a client certificate");
            assertThat(qemu.isAlive()).isTrue();
        }
    }

    @Test
    void insecureModeIsExplicitAndWorks() {
        try (QemuProcess qemu = qemuWithTls(wrongNameServerDir, false);
                QmpConnection qmp = tls(qemu, QmpTlsOptions.builder().insecureTrustAnyCertificate().build())) {
            qmp.connect();
            assertThat(qmp.execute("query-name")).isNotNull();
        }
        assertThatThrownBy(() -> QmpTlsOptions.builder().trustedCertificates(caPem).insecureTrustAnyCertificate().build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void plainClientOnATlsMonitorTimesOutClearly() {
        try (QemuProcess qemu = qemuWithTls(goodServerDir, false);
                QmpConnection qmp = QmpConnection.builder(QmpAddress.tcp("127.0.0.1", Monitors.tcpPort(qemu, "tlsmon")))
                        .connectTimeout(java.time.Duration.ofMillis(500)).build()) {
            assertThatThrownBy(qmp::connect).isInstanceOf(io.qmp4j.QmpTimeoutException.class)
                    .hasMessageContaining("does it expect TLS");
            assertThat(qmp.state()).isEqualTo(ConnectionState.IDLE);
        }
    }
}
