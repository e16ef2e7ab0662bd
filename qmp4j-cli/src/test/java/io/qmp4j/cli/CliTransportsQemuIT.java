package io.qmp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.QmpConnection;
import io.qmp4j.testkit.junit.RequiresQemu;
import io.qmp4j.testkit.qemu.QemuProcess;
import io.qmp4j.testkit.tls.TestPki;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every transport from the command line: tcp:, tcp:[v6], tls: with --tls-*, --listen and --wait. */
@RequiresQemu
class CliTransportsQemuIT {
    private static final Pattern PORT = Pattern.compile(":(\\d+),server=on");

    @TempDir
    Path tmp;

    /** QEMU with a TCP server monitor {@code id} on {@code host}, port chosen by QEMU; extra chardev options appended. */
    private static QemuProcess withTcpMonitor(String host, String chardevExtra, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "-chardev";
        args[1] = "socket,id=tcpmon,host=" + host + ",port=0,server=on,wait=off,nodelay=on"
                + (host.contains(":") ? ",ipv6=on" : "") + chardevExtra;
        args[2] = "-mon";
        args[3] = "chardev=tcpmon,mode=control";
        System.arraycopy(more, 0, args, 4, more.length);
        return QemuProcess.builder().extraArgs(args).start();
    }

    private static int port(QemuProcess qemu) {
        try (QmpConnection qmp = QmpConnection.builder(qemu.qmpSocket()).build()) {
            qmp.connect();
            for (JsonNode c : qmp.execute("query-chardev")) {
                Matcher m = PORT.matcher(c.path("filename").asText());
                if ("tcpmon".equals(c.path("label").asText()) && m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
        }
        throw new IllegalStateException("no tcpmon chardev");
    }

    @Test
    void execOverTcpIpv4AndIpv6() {
        try (QemuProcess v4 = withTcpMonitor("127.0.0.1", "");
                QemuProcess v6 = withTcpMonitor("::1", "")) {
            CliRunner.Result r4 = CliRunner.run("exec", "-s", "tcp:127.0.0.1:" + port(v4), "query-status");
            assertThat(r4.exitCode()).as(r4.toString()).isZero();
            assertThat(r4.out()).contains("\"running\"");
            CliRunner.Result r6 = CliRunner.run("hmp", "-s", "tcp:[::1]:" + port(v6), "info", "status");
            assertThat(r6.exitCode()).as(r6.toString()).isZero();
            assertThat(r6.out()).isEqualTo("VM status: running\n");
        }
    }

    @Test
    void execOverTlsWithCaClientCertificateAndName() throws Exception {
        TestPki.Issued ca = TestPki.ca("cli CA");
        Path dir = TestPki.writeServerDir(tmp.resolve("tls"), ca,
                TestPki.server(ca, List.of("qemu.test"), List.of("127.0.0.1")));
        Path caPem = TestPki.writeCertificate(tmp.resolve("ca.pem"), ca);
        TestPki.Issued client = TestPki.client(ca, "cli");
        Path cert = TestPki.writeCertificate(tmp.resolve("client.pem"), client);
        Path key = TestPki.writeKey(tmp.resolve("client-key.pem"), client);
        try (QemuProcess qemu = withTcpMonitor("127.0.0.1", ",tls-creds=tls0", "-object",
                "tls-creds-x509,id=tls0,dir=" + dir + ",endpoint=server,verify-peer=on")) {
            String addr = "tls:127.0.0.1:" + port(qemu);
            CliRunner.Result ok = CliRunner.run("exec", "-s", addr, "--tls-ca", caPem.toString(), "--tls-cert",
                    cert.toString(), "--tls-key", key.toString(), "--tls-name", "qemu.test", "query-status");
            assertThat(ok.exitCode()).as(ok.toString()).isZero();
            assertThat(ok.out()).contains("\"running\"");
            assertThat(ok.toString()).doesNotContain("PRIVATE KEY");

            CliRunner.Result wrongName = CliRunner.run("exec", "-s", addr, "--tls-ca", caPem.toString(), "--tls-cert",
                    cert.toString(), "--tls-key", key.toString(), "--tls-name", "other.test", "query-status");
            assertThat(wrongName.exitCode()).as(wrongName.toString()).isEqualTo(4);
            assertThat(wrongName.err()).contains("does not name this host");

            CliRunner.Result halfKey = CliRunner.run("exec", "-s", addr, "--tls-cert", cert.toString(), "query-status");
            assertThat(halfKey.exitCode()).isEqualTo(2);
            assertThat(halfKey.err()).contains("--tls-cert and --tls-key go together");
        }
    }

    @Test
    void listenWaitsForQemuToConnect() throws Exception {
        Path sock = tmp.resolve("cli-listen.sock");
        CompletableFuture<CliRunner.Result> cli = CompletableFuture.supplyAsync(() ->
                CliRunner.run("exec", "--listen", "unix:" + sock, "--connect-timeout", "20s", "query-status"));
        for (int i = 0; i < 200 && !sock.toFile().exists(); i++) {
            Thread.sleep(25);
        }
        try (QemuProcess qemu = QemuProcess.builder().extraArgs("-chardev", "socket,id=back,path=" + sock,
                "-mon", "chardev=back,mode=control").start()) {
            CliRunner.Result r = cli.get(30, TimeUnit.SECONDS);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains("\"running\"");
        }
        assertThat(sock).doesNotExist();
    }

    @Test
    void waitRetriesUntilTheSocketAppears() throws Exception {
        Path sock = tmp.resolve("late.sock");
        CompletableFuture<CliRunner.Result> cli = CompletableFuture.supplyAsync(() ->
                CliRunner.run("exec", "-s", sock.toString(), "--wait", "15s", "query-status"));
        Thread.sleep(300);
        try (QemuProcess qemu = QemuProcess.builder().extraArgs("-qmp", "unix:" + sock + ",server=on,wait=off")
                .start()) {
            CliRunner.Result r = cli.get(30, TimeUnit.SECONDS);
            assertThat(r.exitCode()).as(r.toString()).isZero();
        }
        CliRunner.Result never = CliRunner.run("exec", "-s", tmp.resolve("never.sock").toString(), "--wait", "300ms",
                "query-status");
        assertThat(never.exitCode()).isEqualTo(4);
        assertThat(never.err()).contains("did not appear within 300 ms");
    }

    @Test
    void malformedAddressesAreUsageErrors() {
        for (String bad : List.of("tcp:host", "tcp:host:http", "vsock:3:1", "tls:[::1]")) {
            CliRunner.Result r = CliRunner.run("exec", "-s", bad, "query-status");
            assertThat(r.exitCode()).as(bad + ": " + r).isEqualTo(2);
            assertThat(r.err()).contains("--socket").contains(bad.startsWith("tls:") ? "[ADDRESS]:PORT" : bad);
        }
        CliRunner.Result both = CliRunner.run("exec", "-s", "/x", "--listen", "unix:/y", "query-status");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
    }
}
