package io.qmp4j.it.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.AddedFd;
import io.qmp4j.QmpAddress;
import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpFd;
import io.qmp4j.QmpFdPassingException;
import io.qmp4j.testkit.junit.RequiresQemu;
import io.qmp4j.testkit.qemu.QemuProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SCM_RIGHTS file-descriptor passing to real QEMU, with proof that QEMU uses the very
 * descriptor we passed: its own fd table holds our socket's inode, and a file we unlinked
 * before passing it is written by QEMU through {@code /dev/fdset/N}.
 */
@RequiresQemu
class FdPassingIT {
    private static final JsonNode CLOSEFD_FAILED = com.fasterxml.jackson.databind.node.TextNode.valueOf("failed");
    @TempDir
    Path tmp;
    private QemuProcess qemu;
    private QmpConnection qmp;

    @BeforeEach
    void start() {
        qemu = QemuProcess.start();
        qmp = QmpConnection.builder(qemu.qmpSocket()).build();
        qmp.connect();
    }

    @AfterEach
    void stop() {
        qmp.close();
        qemu.close();
    }

    @Test
    void getfdHandsQemuOurSocketAndNetdevAddUsesIt() throws IOException {
        QmpFd[] pair = QmpFd.socketPair();
        try {
            String inode = Files.readSymbolicLink(Path.of("/proc/self/fd/" + pair[0].value())).toString();
            assertThat(qemuFdTargets()).doesNotContain(inode);

            qmp.getfd("sock0", pair[0]);
            assertThat(qemuFdTargets()).contains(inode);

            qmp.execute("netdev_add", Map.of("type", "socket", "id", "net0", "fd", "sock0"));
            String info = qmp.execute("human-monitor-command", Map.of("command-line", "info network")).asText();
            assertThat(info).contains("net0").contains("socket");
            assertThat(qemuFdTargets()).contains(inode); // the netdev now owns it

            qmp.execute("netdev_del", Map.of("id", "net0"));
            assertThat(qemuFdTargets()).doesNotContain(inode);
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }

    @Test
    void closefdDropsQemusCopy() throws IOException {
        QmpFd[] pair = QmpFd.socketPair();
        try {
            String inode = Files.readSymbolicLink(Path.of("/proc/self/fd/" + pair[0].value())).toString();
            qmp.getfd("spare", pair[0]);
            pair[0].close(); // ours is closed; QEMU keeps its own copy
            assertThat(qemuFdTargets()).contains(inode);
            qmp.closefd("spare");
            assertThat(qemuFdTargets()).doesNotContain(inode);
            assertThatThrownBy(() -> qmp.closefd("spare")).isInstanceOf(QmpCommandException.class);
        } finally {
            pair[1].close();
        }
    }

    @Test
    void addFdLetsQemuOpenAnUnlinkedFileThroughDevFdset() throws IOException {
        Path file = tmp.resolve("disk.raw");
        Files.write(file, new byte[64 * 1024]);
        try (QmpFd fd = QmpFd.open(file, true)) {
            Files.delete(file); // from now on only our descriptor reaches the data
            AddedFd added = qmp.addFd(null, fd, "scratch disk");
            JsonNode sets = qmp.queryFdsets();
            assertThat(sets.toString()).contains("\"fdset-id\":" + added.fdsetId()).contains("scratch disk");

            qmp.execute("blockdev-add", Map.of("driver", "raw", "node-name", "disk0", "file",
                    Map.of("driver", "file", "filename", "/dev/fdset/" + added.fdsetId())));
            // qemu-io prints to QEMU's stdout, not to the monitor: the data below is the proof
            qmp.execute("human-monitor-command", Map.of("command-line", "qemu-io disk0 \"write -P 0x5a 0 4096\""));
            qmp.execute("blockdev-del", Map.of("node-name", "disk0"));

            byte[] data = Files.readAllBytes(Path.of("/proc/self/fd/" + fd.value()));
            assertThat(data).hasSize(64 * 1024);
            for (int i = 0; i < 4096; i++) {
                assertThat(data[i]).isEqualTo((byte) 0x5a);
            }
            assertThat(data[4096]).isZero();

            qmp.removeFd(added.fdsetId(), added.fd());
            assertThat(qmp.queryFdsets().toString()).doesNotContain("scratch disk");
        }
    }

    @Test
    void repliesStayInOrderAfterManyFdPasses() throws IOException {
        // 100 passes, each with a plain command pipelined around it, then 1,000 commands that
        // must each get their own reply: one stray reply would shift all of them.
        List<CompletableFuture<JsonNode>> mixed = new ArrayList<>();
        List<QmpFd> fds = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                QmpFd fd = QmpFd.open(Path.of("/dev/null"), false);
                fds.add(fd);
                mixed.add(qmp.executeAsync("query-status"));
                mixed.add(qmp.executeWithFdsAsync("getfd", Map.of("fdname", "fd" + i), fd));
            }
            for (int i = 0; i < mixed.size(); i++) {
                JsonNode r = mixed.get(i).join();
                assertThat(i % 2 == 0 ? r.path("status").asText() : r.toString())
                        .isEqualTo(i % 2 == 0 ? "running" : "{}");
            }
        } finally {
            fds.forEach(QmpFd::close);
        }
        List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            calls.add(switch (i % 3) {
                case 0 -> qmp.executeAsync("query-status");
                case 1 -> qmp.executeAsync("closefd", Map.of("fdname", "fd" + (i / 10))) // each name once, then errors
                        .exceptionally(e -> e.getCause() instanceof QmpCommandException ? CLOSEFD_FAILED : null);
                default -> qmp.executeAsync("qom-get", Map.of("path", "/machine", "property", "type"));
            });
        }
        Set<Integer> closed = new HashSet<>();
        for (int i = 0; i < calls.size(); i++) {
            JsonNode r = calls.get(i).join();
            switch (i % 3) {
                case 0 -> assertThat(r.path("status").asText()).isEqualTo("running");
                case 1 -> {
                    assertThat(r).isNotNull();
                    if (r != CLOSEFD_FAILED) {
                        assertThat(r.toString()).isEqualTo("{}");
                        closed.add(i / 10);
                    }
                }
                default -> assertThat(r.asText()).isEqualTo("none-machine");
            }
        }
        assertThat(closed).hasSize(100);
        assertThat(qmp.execute("query-fdsets")).isEmpty();
    }

    @Test
    void passingAClosedDescriptorFailsThatCallOnly() {
        QmpFd fd = QmpFd.open(Path.of("/dev/null"), false);
        fd.close();
        QmpFd stale = QmpFd.borrow(fd.value());
        assertThatThrownBy(() -> qmp.getfd("x", stale)).isInstanceOf(QmpFdPassingException.class)
                .hasMessageContaining("not open");
        assertThat(qmp.execute("query-status").path("status").asText()).isEqualTo("running");
    }

    @Test
    void passingOverTcpIsAClearErrorAndSendsNothing() {
        try (QemuProcess tcpQemu = QemuProcess.builder().extraArgs(Monitors.tcpServer("m", "127.0.0.1")).start();
                QmpConnection tcp = QmpConnection.builder(QmpAddress.tcp("127.0.0.1", Monitors.tcpPort(tcpQemu, "m")))
                        .build();
                QmpFd fd = QmpFd.open(Path.of("/dev/null"), false)) {
            tcp.connect();
            assertThatThrownBy(() -> tcp.getfd("x", fd)).isInstanceOf(QmpFdPassingException.class)
                    .hasMessageContaining("plain UNIX socket").hasMessageContaining("nothing was sent");
            assertThat(tcp.execute("query-status").path("status").asText()).isEqualTo("running");
        }
    }

    /** What QEMU's descriptors point at, e.g. {@code socket:[12345]}. */
    private Set<String> qemuFdTargets() throws IOException {
        Set<String> targets = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + qemu.pid() + "/fd"))) {
            for (Path p : (Iterable<Path>) fds::iterator) {
                try {
                    targets.add(Files.readSymbolicLink(p).toString());
                } catch (IOException gone) {
                    // closed while listing
                }
            }
        }
        return targets;
    }
}
