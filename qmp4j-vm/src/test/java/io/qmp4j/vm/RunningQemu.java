package io.qmp4j.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.QmpConnection;
import io.qmp4j.testkit.qemu.QemuProcess;
import io.qmp4j.testkit.qemu.QemuProcessBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** A real QEMU with a connected QmpConnection and a QemuVm over it, for one test. */
final class RunningQemu implements AutoCloseable {
    final QemuProcess qemu;
    final QmpConnection qmp;
    final QemuVm vm;

    RunningQemu(QemuProcessBuilder builder) {
        qemu = builder.start();
        QmpConnection c = null;
        try {
            c = QmpConnection.builder(qemu.qmpSocket()).build();
            c.connect();
        } catch (RuntimeException e) {
            if (c != null) {
                c.close();
            }
            qemu.close();
            throw e;
        }
        qmp = c;
        vm = QemuVm.of(qmp);
    }

    /** {@code -machine pc -m 64 -S} plus {@code extraArgs}. */
    static RunningQemu pausedPc(String... extraArgs) {
        return new RunningQemu(QemuProcess.builder().machine("pc").memoryMiB(64).startPaused(true)
                .extraArgs(extraArgs));
    }

    /** HMP {@code info network}: the netdevs and NICs. */
    String network() {
        return qmp.execute("human-monitor-command", Map.of("command-line", "info network")).asText();
    }

    /** The node names of every block node ({@code query-named-block-nodes}). */
    Set<String> nodeNames() {
        Set<String> names = new HashSet<>();
        qmp.execute("query-named-block-nodes").forEach(n -> names.add(n.path("node-name").asText()));
        return names;
    }

    JsonNode fdsets() {
        return qmp.execute("query-fdsets");
    }

    /** What QEMU's open descriptors point at (from /proc). */
    Set<String> qemuFdTargets() {
        Set<String> targets = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + qemu.pid() + "/fd"))) {
            for (Path p : (Iterable<Path>) fds::iterator) {
                try {
                    targets.add(Files.readSymbolicLink(p).toString());
                } catch (IOException gone) {
                    // closed while listing
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return targets;
    }

    @Override
    public void close() {
        qmp.close();
        qemu.close();
    }
}
