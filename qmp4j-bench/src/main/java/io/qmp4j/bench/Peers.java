package io.qmp4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the comparison clients from the perf directory into the work directory: the raw C
 * client ({@code qmpbench.c}, with gcc) and the go-qemu peer ({@code goqmpbench/}, with Debian's
 * {@code golang-go} and {@code golang-github-digitalocean-go-qemu-dev} in GOPATH mode). A peer
 * that cannot be built is skipped, and {@link #notes()} says why.
 */
final class Peers {
    /** Where Debian's go-qemu package puts its sources. */
    static final Path GO_QEMU_SOURCES = Path.of("/usr/share/gocode/src/github.com/digitalocean/go-qemu");

    private final Path rawC;
    private final Path goQemu;
    private final List<String> notes;

    private Peers(Path rawC, Path goQemu, List<String> notes) {
        this.rawC = rawC;
        this.goQemu = goQemu;
        this.notes = List.copyOf(notes);
    }

    /** Builds what can be built; never throws for a missing tool or directory. */
    static Peers build(Path perfDir, Path workDir, boolean withGo) {
        List<String> notes = new ArrayList<>();
        Path c = buildRawC(perfDir, workDir, notes);
        Path go = withGo ? buildGo(perfDir, workDir, notes) : null;
        if (!withGo) {
            notes.add("go-qemu skipped: not requested");
        }
        return new Peers(c, go, notes);
    }

    private static Path buildRawC(Path perfDir, Path workDir, List<String> notes) {
        Path source = perfDir.resolve("qmpbench.c");
        if (!Files.isRegularFile(source)) {
            notes.add("raw C client skipped: " + source + " not found (set --perf-dir or QMP4J_PERF_DIR to the"
                    + " perf directory; default ../shared/perf from the repository root)");
            return null;
        }
        if (!MachineInfo.onPath("gcc")) {
            notes.add("raw C client skipped: gcc not found (Debian: apt-get install gcc)");
            return null;
        }
        Path binary = workDir.resolve("qmpbench");
        Proc.Output out = Proc.run(List.of("gcc", "-O2", "-Wall", "-o", binary.toString(), source.toString(), "-lm"),
                workDir, Map.of(), Duration.ofMinutes(2));
        if (out.exitCode() != 0) {
            notes.add("raw C client skipped: gcc failed, " + out.failure());
            return null;
        }
        return binary;
    }

    private static Path buildGo(Path perfDir, Path workDir, List<String> notes) {
        Path source = perfDir.resolve("goqmpbench");
        if (!Files.isDirectory(source)) {
            notes.add("go-qemu skipped: " + source + " not found");
            return null;
        }
        if (!MachineInfo.onPath("go") || !Files.isDirectory(GO_QEMU_SOURCES)) {
            notes.add("go-qemu skipped: needs Debian's golang-go and golang-github-digitalocean-go-qemu-dev"
                    + " (bench/run.sh installs them with apt-get when run as root)");
            return null;
        }
        Path binary = workDir.resolve("goqmpbench");
        // GOPATH mode against the Debian source tree: module mode cannot resolve offline.
        Proc.Output out = Proc.run(List.of("go", "build", "-o", binary.toString(), "."), source,
                Map.of("GO111MODULE", "off", "GOPATH", "/usr/share/gocode",
                        "GOCACHE", workDir.resolve("gocache").toString()), Duration.ofMinutes(5));
        if (out.exitCode() != 0) {
            notes.add("go-qemu skipped: go build failed, " + out.failure());
            return null;
        }
        return binary;
    }

    /** The raw C client, or null when skipped. */
    Path rawC() {
        return rawC;
    }

    /** The go-qemu peer, or null when skipped. */
    Path goQemu() {
        return goQemu;
    }

    /** Why peers were skipped (empty when both were built). */
    List<String> notes() {
        return notes;
    }
}
