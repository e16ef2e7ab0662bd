package io.qmp4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs an external program with a deadline, output captured in files (no pipe can fill up). */
final class Proc {
    private Proc() {
    }

    /**
     * What a finished program printed.
     *
     * @param exitCode its exit code
     * @param stdout   standard output
     * @param stderr   standard error
     */
    record Output(int exitCode, String stdout, String stderr) {
        /** The last line of standard output that starts with {@code prefix}, or null. */
        String lastLine(String prefix) {
            String found = null;
            for (String line : stdout.split("\n")) {
                if (line.startsWith(prefix)) {
                    found = line;
                }
            }
            return found;
        }

        /** A short reason for a failed run: the exit code and the end of stderr. */
        String failure() {
            String err = stderr.strip();
            if (err.length() > 300) {
                err = "..." + err.substring(err.length() - 300);
            }
            return "exit " + exitCode + (err.isEmpty() ? "" : ": " + err);
        }
    }

    /** A started program; {@link #await} collects it. */
    static final class Running {
        private final Process process;
        private final Path out;
        private final Path err;

        private Running(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        /** Ends the program (it was started here, so it is ended by its own handle) and collects it. */
        void kill() {
            process.destroy();
            await(Duration.ofSeconds(10));
        }

        /** Waits up to {@code timeout}; kills the program (by its pid) if it takes longer. */
        Output await(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                    return new Output(-1, read(out), "killed after " + timeout.toSeconds() + " s; " + read(err));
                }
                return new Output(process.exitValue(), read(out), read(err));
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + process.info().command(), e);
            } finally {
                delete(out);
                delete(err);
            }
        }
    }

    /** Starts {@code command} in {@code workDir} with extra {@code env}. */
    static Running start(List<String> command, Path workDir, Map<String, String> env) {
        try {
            Path out = Files.createTempFile("qmp4j-bench-out-", ".txt");
            Path err = Files.createTempFile("qmp4j-bench-err-", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .directory(workDir.toFile());
            pb.environment().putAll(env);
            return new Running(pb.start(), out, err);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code command} to completion within {@code timeout}. */
    static Output run(List<String> command, Path workDir, Map<String, String> env, Duration timeout) {
        return start(command, workDir, env).await(timeout);
    }

    /**
     * {@code command} wrapped in {@code sh} so that the shell prints its own
     * {@code /proc/PID/stat} after the program: its cutime and cstime fields are then the
     * program's CPU time ({@link #childCpuSeconds}).
     */
    static List<String> withCpuTime(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("sh", "-c", "\"$@\"; rc=$?; cat /proc/$$/stat; exit $rc", "sh"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** The CPU seconds of the program run by {@link #withCpuTime}, or NaN. */
    static double childCpuSeconds(Output output) {
        String[] lines = output.stdout().strip().split("\n");
        String stat = lines[lines.length - 1];
        int paren = stat.lastIndexOf(')');
        if (paren < 0) {
            return Double.NaN;
        }
        String[] f = stat.substring(paren + 2).split(" ");
        // fields after the name start at field 3 (state); cutime and cstime are fields 16 and 17
        return (Long.parseLong(f[16 - 3]) + Long.parseLong(f[17 - 3])) / (double) MachineInfo.clockTicks();
    }

    /** CPU seconds (user + system) that process {@code pid} has used so far, or NaN. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3])) / (double) MachineInfo.clockTicks();
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover temporary file in target/ is harmless
        }
    }
}
