package io.qmp4j.testkit.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QemuBinaryTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)|7.2.22",
        "QEMU emulator version 8.2.2 (qemu-8.2.2-1.fc40)|8.2.2",
        "QEMU emulator version 9.0.50 (v9.0.0-1388-g80e8f06021)|9.0.50",
        "QEMU emulator version 6.2.0 (Debian 1:6.2+dfsg-2ubuntu6.22)|6.2.0",
        "QEMU PC emulator version 0.12.5 (qemu-kvm-0.12.5), Copyright (c) 2003-2008|0.12.5",
        "QEMU emulator version 10.1.0|10.1.0",
    })
    void parsesVersionFromVersionOutput(String output, String expected) {
        assertThat(QemuBinary.parseVersion(output + "\nCopyright (c) 2003-2022 Fabrice Bellard"))
                .contains(expected);
    }

    @Test
    void parseVersionIsEmptyWhenOutputNamesNoVersion() {
        assertThat(QemuBinary.parseVersion("")).isEmpty();
        assertThat(QemuBinary.parseVersion("qemu-system-x86_64: command not found")).isEmpty();
        assertThat(QemuBinary.parseVersion("version unknown")).isEmpty();
    }

    @Test
    void ofRunsVersionAndKeepsPathVersionAndFirstLine() throws IOException {
        Path script = FakeQemuScripts.write(dir, "qemu", "exit 0");

        QemuBinary binary = QemuBinary.of(script);

        assertThat(binary.path()).isEqualTo(script);
        assertThat(binary.version()).isEqualTo("7.2.22");
        assertThat(binary.versionLine())
                .isEqualTo("QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)");
        assertThat(binary).hasToString("qemu-system-x86_64 7.2.22 at " + script);
    }

    @Test
    void isAtLeastComparesMajorThenMinor() throws IOException {
        QemuBinary binary = QemuBinary.of(FakeQemuScripts.write(dir, "qemu", "exit 0"));

        assertThat(binary.isAtLeast(7, 2)).isTrue();
        assertThat(binary.isAtLeast(6, 9)).isTrue();
        assertThat(binary.isAtLeast(7, 3)).isFalse();
        assertThat(binary.isAtLeast(8, 0)).isFalse();
    }

    @Test
    void unparsableVersionIsUnknownAndNeverAtLeast() throws IOException {
        Path script = executable("odd", "#!/bin/sh\necho 'my wrapper'\n");

        QemuBinary binary = QemuBinary.of(script);

        assertThat(binary.version()).isEqualTo("unknown");
        assertThat(binary.isAtLeast(0, 0)).isFalse();
    }

    @Test
    void ofRejectsNonExecutableAndFailingBinaries() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain"), "not a program");
        Path failing = executable("failing", "#!/bin/sh\necho 'broken' >&2\nexit 3\n");

        assertThatThrownBy(() -> QemuBinary.of(plain))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not an executable file");
        assertThatThrownBy(() -> QemuBinary.of(failing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exited with 3").hasMessageContaining("broken");
    }

    @Test
    void locateSearchesPathWhenNoOverrideIsSet() throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path qemu = executableIn(bin, QemuBinary.NAME);
        String path = dir.resolve("empty") + ":" + bin;

        assertThat(QemuBinary.locate(null, null, path)).contains(qemu);
        assertThat(QemuBinary.locate("  ", "", path)).contains(qemu);
        assertThat(QemuBinary.locate(null, null, dir.resolve("empty").toString())).isEmpty();
        assertThat(QemuBinary.locate(null, null, null)).isEmpty();
    }

    @Test
    void propertyOverridesEnvironmentWhichOverridesPath() throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        executableIn(bin, QemuBinary.NAME);
        Path fromProperty = executableIn(dir, "from-property");
        Path fromEnv = executableIn(dir, "from-env");

        assertThat(QemuBinary.locate(fromProperty.toString(), fromEnv.toString(), bin.toString()))
                .contains(fromProperty);
        assertThat(QemuBinary.locate(null, fromEnv.toString(), bin.toString())).contains(fromEnv);
    }

    @Test
    void brokenOverrideFindsNothingRatherThanFallingBackToPath() throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        executableIn(bin, QemuBinary.NAME);

        assertThat(QemuBinary.locate("/nonexistent/qemu", null, bin.toString())).isEmpty();
        assertThat(QemuBinary.locate(null, "/nonexistent/qemu", bin.toString())).isEmpty();
    }

    @Test
    void bareOverrideNameIsLookedUpOnPath() throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path custom = executableIn(bin, "qemu-custom");

        assertThat(QemuBinary.locate("qemu-custom", null, bin.toString())).contains(custom);
    }

    @Test
    void findHonoursThePropertyAndExplainsWhenItIsWrong() throws IOException {
        Path script = FakeQemuScripts.write(dir, "qemu", "exit 0");
        String old = System.getProperty(QemuBinary.PROPERTY);
        try {
            System.setProperty(QemuBinary.PROPERTY, script.toString());
            assertThat(QemuBinary.find()).map(QemuBinary::path).contains(script);

            System.setProperty(QemuBinary.PROPERTY, "/nonexistent/qemu-system-x86_64");
            assertThat(QemuBinary.find()).isEmpty();
            assertThat(QemuBinary.notFoundMessage())
                    .startsWith("qemu-system-x86_64 not found: install it with apt-get install"
                            + " qemu-system-x86")
                    .contains("-Dqmp4j.qemu=/nonexistent/qemu-system-x86_64");
            assertThatThrownBy(QemuBinary::require)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith(QemuBinary.INSTALL_HINT);
        } finally {
            restore(old);
        }
    }

    @Test
    void equalityIsByPath() throws IOException {
        Path script = FakeQemuScripts.write(dir, "qemu", "exit 0");
        assertThat(QemuBinary.of(script)).isEqualTo(QemuBinary.of(script));
        assertThat(Optional.of(QemuBinary.of(script)).map(QemuBinary::hashCode))
                .contains(script.hashCode());
    }

    private static void restore(String old) {
        if (old == null) {
            System.clearProperty(QemuBinary.PROPERTY);
        } else {
            System.setProperty(QemuBinary.PROPERTY, old);
        }
    }

    private Path executable(String name, String content) throws IOException {
        Path p = Files.writeString(dir.resolve(name), content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    private static Path executableIn(Path parent, String name) throws IOException {
        Path p = Files.writeString(parent.resolve(name), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

}
