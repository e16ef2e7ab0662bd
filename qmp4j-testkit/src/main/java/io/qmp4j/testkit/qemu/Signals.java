package io.qmp4j.testkit.qemu;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Internal: sends POSIX signals the JDK has no API for (SIGSTOP, SIGCONT) by running
 * {@code kill -SIG pid}, and reads a process's scheduler state from {@code /proc}. Caller thread.
 */
final class Signals {

    private static final long KILL_TIMEOUT_SECONDS = 5;
    private static final long STATE_TIMEOUT_MILLIS = 2_000;

    private Signals() {}

    /**
     * Sends {@code signal} (a name such as {@code "STOP"}) to {@code pid} and waits until the kill
     * command finishes (at most 5 s).
     *
     * @throws IllegalStateException if the signal could not be sent
     */
    static void send(long pid, String signal) {
        String[] cmd = {killCommand(), "-" + signal, Long.toString(pid)};
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            boolean done = p.waitFor(KILL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish in "
                        + KILL_TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                throw new IllegalStateException(String.join(" ", cmd) + " failed with exit code "
                        + p.exitValue() + ": " + out.trim());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", cmd) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + signal + " to "
                    + pid, e);
        }
    }

    /**
     * Waits (at most 2 s) until {@code pid}'s state in {@code /proc/PID/stat} is, or is not,
     * {@code 'T'} (stopped). Returns at once where {@code /proc} is unavailable.
     */
    static void awaitStopped(long pid, boolean stopped) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STATE_TIMEOUT_MILLIS);
        while (System.nanoTime() - deadline < 0) {
            char state = state(pid);
            if (state == '?' || (state == 'T') == stopped || state == 'Z' || state == 'X') {
                return;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Returns the one-letter state of {@code pid} from {@code /proc/PID/stat} ({@code 'S'},
     * {@code 'R'}, {@code 'T'} for stopped, {@code 'Z'} ...), or {@code '?'} if it cannot be read.
     */
    static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name in parentheses may itself contain ") ", so look after the last one.
            int end = stat.lastIndexOf(')');
            return end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
        } catch (IOException | RuntimeException e) {
            return '?';
        }
    }

    private static String killCommand() {
        for (String candidate : new String[] {"/bin/kill", "/usr/bin/kill"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "kill";
    }
}
