package io.qmp4j.bench;

import io.qmp4j.testkit.qemu.QemuBinary;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the report says about the machine and the versions measured. */
final class MachineInfo {
    private static volatile int clockTicks;

    private MachineInfo() {
    }

    /** The kernel's clock ticks per second (for /proc CPU times). */
    static int clockTicks() {
        if (clockTicks == 0) {
            int ticks = 100;
            try {
                ticks = Integer.parseInt(command(List.of("getconf", "CLK_TCK")).strip());
            } catch (RuntimeException e) {
                // 100 on every Linux we know of
            }
            clockTicks = ticks;
        }
        return clockTicks;
    }

    /** Whether {@code tool} is an executable on PATH. */
    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg prints them. */
    static String loadAverage() {
        String s = file("/proc/loadavg");
        String[] f = s.split(" ");
        return f.length >= 3 ? f[0] + " / " + f[1] + " / " + f[2] : "unknown";
    }

    /** Labelled facts about this machine and the software measured. */
    static Map<String, String> describe(Peers peers) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("CPU", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores"
                + (isVirtual() ? " (virtual machine)" : ""));
        m.put("memory", memory());
        m.put("OS", osName() + ", kernel " + firstLine(command(List.of("uname", "-r"))));
        m.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("QEMU", QemuBinary.find().map(QemuBinary::versionLine).orElse("not found"));
        m.put("qmp4j", versionOf("qmp4j-core") + gitCommit());
        m.put("raw C client", peers.rawC() == null ? "skipped" : "qmpbench.c, " + firstLine(command(List.of("gcc", "--version"))));
        m.put("go-qemu", peers.goQemu() == null ? "skipped"
                : "golang-github-digitalocean-go-qemu-dev " + dpkgVersion("golang-github-digitalocean-go-qemu-dev")
                        + ", " + firstLine(command(List.of("go", "version"))));
        return m;
    }

    private static String cpuModel() {
        for (String line : file("/proc/cpuinfo").split("\n")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).strip();
            }
        }
        return System.getProperty("os.arch");
    }

    private static boolean isVirtual() {
        return file("/proc/cpuinfo").contains(" hypervisor");
    }

    private static String memory() {
        for (String line : file("/proc/meminfo").split("\n")) {
            if (line.startsWith("MemTotal:")) {
                long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return String.format("%.1f GiB", kb / 1024.0 / 1024.0);
            }
        }
        return "unknown";
    }

    private static String osName() {
        for (String line : file("/etc/os-release").split("\n")) {
            if (line.startsWith("PRETTY_NAME=")) {
                return line.substring(12).replace("\"", "");
            }
        }
        return System.getProperty("os.name");
    }

    private static String versionOf(String artifact) {
        Package p = io.qmp4j.QmpConnection.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return artifact + " " + (v == null ? "0.1.0-SNAPSHOT" : v);
    }

    private static String gitCommit() {
        String rev = command(List.of("git", "rev-parse", "--short", "HEAD")).strip();
        if (rev.isEmpty() || rev.contains(" ")) {
            return "";
        }
        String dirty = command(List.of("git", "status", "--porcelain", "--untracked-files=no")).strip();
        return ", commit " + rev + (dirty.isEmpty() ? "" : " with local changes");
    }

    private static String dpkgVersion(String pkg) {
        return command(List.of("dpkg-query", "-W", "-f=${Version}", pkg)).strip();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    private static String file(String path) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String command(List<String> cmd) {
        try {
            Proc.Output out = Proc.run(cmd, Path.of("."), Map.of(), Duration.ofSeconds(20));
            return out.exitCode() == 0 ? out.stdout() : "";
        } catch (RuntimeException e) {
            return "";
        }
    }
}
