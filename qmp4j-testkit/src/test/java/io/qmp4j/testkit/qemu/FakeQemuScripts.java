package io.qmp4j.testkit.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Shell scripts that stand in for qemu-system-x86_64 in unit tests, so they need no QEMU. */
final class FakeQemuScripts {

    static final String VERSION_OUTPUT =
            "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\n"
            + "Copyright (c) 2003-2022 Fabrice Bellard and the QEMU Project developers\n";

    private FakeQemuScripts() {}

    /** A script that answers --version like QEMU 7.2.22 and otherwise runs {@code body}. */
    static Path write(Path dir, String name, String body) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n"
                + "if [ \"$1\" = --version ]; then\n"
                + "  printf '%s' '" + VERSION_OUTPUT + "'; exit 0\n"
                + "fi\n"
                + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** A fake QEMU that rejects its options the way QEMU does and exits with 1. */
    static QemuBinary rejectingOptions(Path dir) throws IOException {
        return QemuBinary.of(write(dir, "qemu-bad",
                "echo 'qemu-system-x86_64: -bogus: invalid option' >&2\nexit 1"));
    }

    /** A fake QEMU that never opens its QMP socket. */
    static QemuBinary silent(Path dir) throws IOException {
        return QemuBinary.of(write(dir, "qemu-silent", "echo 'starting up'\nexec sleep 30"));
    }
}
