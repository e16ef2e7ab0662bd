package io.qmp4j.it.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmp4j.QmpAddress;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpFd;
import io.qmp4j.QmpListener;
import io.qmp4j.QmpTlsOptions;
import io.qmp4j.it.Leaks;
import io.qmp4j.testkit.junit.RequiresQemu;
import io.qmp4j.testkit.tls.TestPki;
import io.qmp4j.testkit.qemu.QemuBinary;
import io.qmp4j.testkit.qemu.QemuProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every transport, opened and closed repeatedly, leaves no qmp4j thread and no file descriptor
 * behind once its connections are closed (the QEMUs live across the cycles, so their own
 * sockets are not counted twice).
 */
@RequiresQemu
class TransportLeaksIT {
    @TempDir
    Path tmp;

    @Test
    void noThreadOrFdLeftAfterTcpTlsListenFdPassingAndStdio() throws Exception {
        TestPki.Issued ca = TestPki.ca("leak CA");
        Path caPem = TestPki.writeCertificate(tmp.resolve("ca.pem"), ca);
        Path dir = TestPki.writeServerDir(tmp.resolve("tls"), ca, TestPki.server(ca, List.of("localhost"),
                List.of("127.0.0.1")));
        String[] tcp = Monitors.tcpServer("plain", "127.0.0.1");
        String[] tlsMon = Monitors.tcpServer("tlsmon", "127.0.0.1", "tls-creds=tls0");
        Path listenPath = tmp.resolve("listen.sock");
        try (QemuProcess qemu = QemuProcess.builder().extraArgs(concat(tcp, tlsMon, "-object",
                "tls-creds-x509,id=tls0,dir=" + dir + ",endpoint=server,verify-peer=off")).start()) {
            int plainPort = Monitors.tcpPort(qemu, "plain");
            int tlsPort = Monitors.tcpPort(qemu, "tlsmon");
            cycle(qemu, plainPort, tlsPort, caPem, listenPath); // warm up: Netty's and the JDK's one-time fds
            // Threads other tests left to finish (this JVM runs every IT) are not ours to count.
            Leaks.qmp4jThreadsAfterSettling(); // let the warm-up's I/O threads end first
            java.util.Set<Thread> before = Leaks.qmp4jThreadSet();
            long fds = Leaks.openFds();
            for (int i = 0; i < 5; i++) {
                cycle(qemu, plainPort, tlsPort, caPem, listenPath);
            }
            assertThat(Leaks.newQmp4jThreads(before)).as("qmp4j threads left by the cycles").isEmpty();
            assertThat(Leaks.openFdsSettling(fds)).as("open fds after 5 cycles (baseline %d)", fds)
                    .isLessThanOrEqualTo(fds);
        }
    }

    private void cycle(QemuProcess qemu, int plainPort, int tlsPort, Path caPem, Path listenPath) throws Exception {
        try (QmpConnection qmp = QmpConnection.builder(QmpAddress.tcp("127.0.0.1", plainPort)).build()) {
            qmp.connect();
            qmp.execute("query-status");
        }
        try (QmpConnection qmp = QmpConnection.builder(QmpAddress.tcp("127.0.0.1", tlsPort))
                .tls(QmpTlsOptions.builder().trustedCertificates(caPem).build()).build()) {
            qmp.connect();
            qmp.execute("query-status");
        }
        try (QmpConnection qmp = QmpConnection.builder(qemu.qmpSocket()).build(); QmpFd fd = QmpFd.open(Path.of("/dev/null"), false)) {
            qmp.connect();
            qmp.getfd("leak", fd);
            qmp.closefd("leak");
        }
        try (QmpListener listener = QmpListener.bind(QmpAddress.unix(listenPath));
                QemuProcess client = QemuProcess.builder().extraArgs("-chardev", "socket,id=b,path=" + listenPath,
                        "-mon", "chardev=b,mode=control").start();
                QmpConnection qmp = listener.accept(Duration.ofSeconds(10))) {
            qmp.execute("query-status");
        }
        Process child = new ProcessBuilder(QemuBinary.require().path().toString(), "-machine", "none", "-nodefaults",
                "-display", "none", "-qmp", "stdio").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (QmpConnection qmp = QmpConnection.builder(QmpAddress.stdio(child)).build()) {
            qmp.connect();
            qmp.execute("quit");
            assertThat(child.waitFor(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
            child.getInputStream().close();
            child.getOutputStream().close();
            child.getErrorStream().close();
        }
    }

    private static String[] concat(String[] a, String[] b, String... c) {
        String[] all = new String[a.length + b.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        System.arraycopy(c, 0, all, a.length + b.length, c.length);
        return all;
    }
}
