package io.qmp4j.testkit.qemu;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An installed {@code qemu-system-x86_64} executable together with the version it reports.
 *
 * <p>{@link #find()} looks for the binary in this order; the first source that is set wins, and an
 * explicit override that does not point at an executable is <em>not</em> silently replaced by the
 * {@code PATH} lookup:
 * <ol>
 *   <li>the system property {@value #PROPERTY} (a path, or a bare name looked up on {@code PATH});
 *   <li>the environment variable {@value #ENV} (same form);
 *   <li>{@value #NAME} on {@code PATH}.
 * </ol>
 *
 * <p>Instances are immutable. The version comes from running the binary once with
 * {@code --version}; results are cached per path for the life of the JVM.
 */
public final class QemuBinary {

    /** The executable's file name: {@value}. */
    public static final String NAME = "qemu-system-x86_64";

    /** The system property that overrides where the binary is: {@value}. */
    public static final String PROPERTY = "qmp4j.qemu";

    /** The environment variable that overrides where the binary is: {@value}. */
    public static final String ENV = "QMP4J_QEMU";

    /** What to do when the binary is missing; the first words of {@link #notFoundMessage()}. */
    public static final String INSTALL_HINT =
            NAME + " not found: install it with apt-get install qemu-system-x86";

    private static final Pattern VERSION = Pattern.compile("version\\s+(\\d+(?:\\.\\d+)+)");
    private static final long VERSION_TIMEOUT_SECONDS = 10;
    private static final Map<Path, Optional<QemuBinary>> CACHE = new ConcurrentHashMap<>();

    private final Path path;
    private final String version;
    private final String versionLine;

    private QemuBinary(Path path, String version, String versionLine) {
        this.path = path;
        this.version = version;
        this.versionLine = versionLine;
    }

    /**
     * Finds {@value #NAME} using the system property, the environment variable and then
     * {@code PATH} (see the class comment), and runs it once with {@code --version}.
     *
     * @return the binary, or empty when it is not installed, the override does not name an
     *     executable, or {@code --version} fails; {@link #notFoundMessage()} then says why
     */
    public static Optional<QemuBinary> find() {
        return locate(System.getProperty(PROPERTY), System.getenv(ENV), System.getenv("PATH"))
                .flatMap(p -> CACHE.computeIfAbsent(p, QemuBinary::probe));
    }

    /**
     * Returns the binary {@link #find()} finds, or fails with {@link #notFoundMessage()}.
     *
     * @throws IllegalStateException if no usable binary is found; the message says what to install
     */
    public static QemuBinary require() {
        return find().orElseThrow(() -> new IllegalStateException(notFoundMessage()));
    }

    /**
     * Describes the binary at {@code path} by running it with {@code --version} (bounded by 10 s).
     *
     * @param path an executable QEMU binary
     * @throws IllegalArgumentException if {@code path} is not executable, or {@code --version}
     *     fails or does not finish in time
     */
    public static QemuBinary of(Path path) {
        Objects.requireNonNull(path, "path");
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw new IllegalArgumentException(path + " is not an executable file");
        }
        String output = runVersion(path);
        String first = output.lines().findFirst().orElse("").trim();
        return new QemuBinary(path, parseVersion(output).orElse("unknown"), first);
    }

    /**
     * Says why {@link #find()} finds nothing and what to install. The text starts with
     * {@link #INSTALL_HINT}.
     */
    public static String notFoundMessage() {
        String property = System.getProperty(PROPERTY);
        String env = System.getenv(ENV);
        String detail;
        if (isSet(property)) {
            detail = "-D" + PROPERTY + "=" + property + " does not name a working executable";
        } else if (isSet(env)) {
            detail = ENV + "=" + env + " does not name a working executable";
        } else {
            detail = "not on PATH; or set -D" + PROPERTY + " or " + ENV + " to the binary";
        }
        return INSTALL_HINT + " (Debian/Ubuntu; " + detail + ")";
    }

    /**
     * Extracts the dotted version number from {@code --version} output such as
     * {@code QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)}.
     *
     * @return the version, for example {@code "7.2.22"}, or empty if the output names none
     */
    public static Optional<String> parseVersion(String versionOutput) {
        Matcher m = VERSION.matcher(Objects.requireNonNull(versionOutput, "versionOutput"));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The absolute path of the executable. */
    public Path path() {
        return path;
    }

    /** The version number QEMU reports, for example {@code "7.2.22"}, or {@code "unknown"}. */
    public String version() {
        return version;
    }

    /** The first line of {@code --version} output, as printed. */
    public String versionLine() {
        return versionLine;
    }

    /**
     * Says whether {@link #version()} is at least {@code major.minor}; an unknown version is not.
     */
    public boolean isAtLeast(int major, int minor) {
        String[] parts = version.split("\\.");
        if (parts.length < 2 || !parts[0].chars().allMatch(Character::isDigit)) {
            return false;
        }
        int actualMajor = Integer.parseInt(parts[0]);
        int actualMinor = Integer.parseInt(parts[1]);
        return actualMajor > major || (actualMajor == major && actualMinor >= minor);
    }

    /** Returns {@code "qemu-system-x86_64 7.2.22 at /usr/bin/qemu-system-x86_64"}. */
    @Override
    public String toString() {
        return NAME + " " + version + " at " + path;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QemuBinary && ((QemuBinary) o).path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    /**
     * Resolves the candidate executable from the override sources and {@code PATH} without running
     * it; package-private so the lookup order can be tested without QEMU.
     */
    static Optional<Path> locate(String property, String env, String pathVariable) {
        if (isSet(property)) {
            return resolve(property.trim(), pathVariable);
        }
        if (isSet(env)) {
            return resolve(env.trim(), pathVariable);
        }
        return resolve(NAME, pathVariable);
    }

    private static Optional<Path> resolve(String nameOrPath, String pathVariable) {
        if (nameOrPath.contains(File.separator)) {
            Path p = Path.of(nameOrPath).toAbsolutePath();
            return isExecutableFile(p) ? Optional.of(p) : Optional.empty();
        }
        if (pathVariable == null) {
            return Optional.empty();
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, nameOrPath).toAbsolutePath();
                if (isExecutableFile(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isExecutableFile(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }

    private static boolean isSet(String s) {
        return s != null && !s.isBlank();
    }

    private static Optional<QemuBinary> probe(Path path) {
        try {
            return Optional.of(of(path));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String runVersion(Path path) {
        Path out = null;
        Process p = null;
        try {
            // Output goes to a file, not a pipe, so a binary that hangs cannot block the read.
            out = Files.createTempFile("qmp4j-qemu-version", ".txt");
            p = new ProcessBuilder(path.toString(), "--version")
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!p.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalArgumentException(path + " --version did not finish in "
                        + VERSION_TIMEOUT_SECONDS + " s");
            }
            String output = new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalArgumentException(path + " --version exited with "
                        + p.exitValue() + ": " + output.trim());
            }
            return output;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot run " + path + " --version: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("interrupted while running " + path + " --version",
                    e);
        } finally {
            if (p != null) {
                p.destroyForcibly();
            }
            deleteQuietly(out);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a stray temp file is harmless
            }
        }
    }
}
