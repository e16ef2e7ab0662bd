package io.qmp4j.testkit.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builder, command line and start-failure handling, with fake binaries instead of QEMU. */
class QemuProcessTest {

    private static final Path BIN = Path.of("/usr/bin/qemu-system-x86_64");
    private static final Path DIR = Path.of("/tmp/qmp4j-qemu-1");

    @TempDir
    Path tmp;

    @Test
    void defaultCommandLineIsMachineNoneWithOneQmpSocket() {
        assertThat(QemuProcess.builder().commandLine(BIN, DIR)).containsExactly(
                "/usr/bin/qemu-system-x86_64", "-machine", "none", "-nodefaults",
                "-display", "none", "-qmp", "unix:/tmp/qmp4j-qemu-1/qmp.sock,server=on,wait=off");
    }

    @Test
    void ownSessionStartsQemuThroughSetsid() {
        List<String> cmd = QemuProcess.builder().ownSession(true).commandLine(BIN, DIR);

        assertThat(cmd.get(0)).isEqualTo("setsid");
        assertThat(cmd.subList(1, cmd.size())).isEqualTo(QemuProcess.builder().commandLine(BIN, DIR));
    }

    @Test
    void everyOptionAppearsInTheCommandLineWithExtraArgsLast() {
        QemuProcessBuilder builder = QemuProcess.builder()
                .machine("pc").memoryMiB(64).startPaused(true).secondQmpSocket(true)
                .extraArgs("-smp", "2");

        assertThat(builder.commandLine(BIN, DIR)).containsExactly(
                "/usr/bin/qemu-system-x86_64", "-machine", "pc", "-nodefaults",
                "-display", "none", "-m", "64", "-S",
                "-qmp", "unix:/tmp/qmp4j-qemu-1/qmp.sock,server=on,wait=off",
                "-qmp", "unix:/tmp/qmp4j-qemu-1/qmp2.sock,server=on,wait=off",
                "-smp", "2");
    }

    @Test
    void builderIsImmutable() {
        QemuProcessBuilder base = QemuProcess.builder();
        QemuProcessBuilder pc = base.machine("pc");
        QemuProcessBuilder paused = pc.startPaused(true);
        base.memoryMiB(64).extraArgs("-smp", "2").startTimeout(Duration.ofSeconds(1));

        assertThat(pc).isNotSameAs(base);
        assertThat(base.commandLine(BIN, DIR)).contains("none").doesNotContain("-S", "-m", "-smp");
        assertThat(pc.commandLine(BIN, DIR)).contains("pc").doesNotContain("-S");
        assertThat(paused.commandLine(BIN, DIR)).contains("pc", "-S");
        assertThat(base.startTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void extraArgsReplacesEarlierExtraArgsAndCopiesTheArray() {
        String[] args = {"-smp", "2"};
        QemuProcessBuilder builder = QemuProcess.builder().extraArgs("-boot", "c").extraArgs(args);
        args[1] = "4";

        assertThat(builder.commandLine(BIN, DIR)).endsWith("-smp", "2").doesNotContain("-boot");
    }

    @Test
    void invalidOptionsAreRejectedWithMessagesThatReadLikeAssertions() {
        QemuProcessBuilder b = QemuProcess.builder();

        assertThatThrownBy(() -> b.memoryMiB(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("memoryMiB must be > 0 but was 0");
        assertThatThrownBy(() -> b.machine(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("machine must not be blank");
        assertThatThrownBy(() -> b.startTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("startTimeout must be > 0 but was PT0S");
        assertThatThrownBy(() -> b.startTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.extraArgs("-daemonize"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-daemonize");
        assertThatThrownBy(() -> b.extraArgs("-smp", null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b.machine(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b.binary(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b.temporaryRoot(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void earlyExitFailsWithReasonCommandLineAndOutputAndLeavesNothingBehind() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("root"));
        QemuBinary bad = FakeQemuScripts.rejectingOptions(tmp);

        assertThatThrownBy(() -> QemuProcess.builder().binary(bad).temporaryRoot(root)
                .extraArgs("-bogus").start())
                .isInstanceOfSatisfying(QemuStartException.class, e -> {
                    assertThat(e.exitCode()).hasValue(1);
                    assertThat(e.logTail()).isEqualTo("qemu-system-x86_64: -bogus: invalid option");
                    assertThat(e.commandLine())
                            .startsWith(bad.path().toString()).endsWith("-bogus");
                    assertThat(e.getMessage())
                            .startsWith("QEMU exited with code 1 before its QMP socket answered")
                            .contains("command line: " + bad.path() + " -machine none")
                            .contains("-bogus: invalid option");
                });
        assertThat(children(root)).isEmpty();
    }

    @Test
    void silentBinaryTimesOutIsKilledAndLeavesNothingBehind() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("root"));
        QemuBinary silent = FakeQemuScripts.silent(tmp);
        long before = System.nanoTime();

        assertThatThrownBy(() -> QemuProcess.builder().binary(silent).temporaryRoot(root)
                .startTimeout(Duration.ofMillis(200)).start())
                .isInstanceOfSatisfying(QemuStartException.class, e -> {
                    assertThat(e.exitCode()).isEmpty();
                    assertThat(e.getMessage())
                            .contains("did not greet and answer qmp_capabilities within 200 ms")
                            .contains("starting up");
                });
        // generous: the bound proves "killed after the start timeout", not speed (busy CI machines)
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(15));
        assertThat(children(root)).isEmpty();
        // the fake execs "sleep 30": it must have been killed, not left running as our child
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().orElse("").endsWith("sleep"))).isEmpty();
    }

    @Test
    void tooLongSocketPathIsRefusedBeforeLaunching() throws IOException {
        Path deep = Files.createDirectories(tmp.resolve("a".repeat(60)).resolve("b".repeat(60)));
        QemuBinary bad = FakeQemuScripts.rejectingOptions(tmp);

        assertThatThrownBy(() -> QemuProcess.builder().binary(bad).temporaryRoot(deep).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("longer than 107 bytes");
        assertThat(children(deep)).isEmpty();
    }

    private static List<Path> children(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
