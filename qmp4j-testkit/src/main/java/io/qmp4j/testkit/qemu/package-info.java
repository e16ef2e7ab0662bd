/**
 * The real-QEMU launcher of the test kit: {@link io.qmp4j.testkit.qemu.QemuBinary} finds
 * {@code qemu-system-x86_64} and its version, and {@link io.qmp4j.testkit.qemu.QemuProcess} starts
 * one QEMU per test with its QMP monitor on a UNIX socket in a temporary directory, waits until it
 * answers, and ends it and deletes the directory on close. It also offers the faults a real process
 * can suffer (SIGKILL, SIGTERM, SIGSTOP/SIGCONT).
 *
 * <p>Uses only the JDK (UNIX-domain {@code SocketChannel}, JDK 16+) and Jackson; it does not depend
 * on the qmp4j client, so the client's bugs cannot hide in it. Linux only ({@code /proc},
 * {@code kill}). The package-private classes here are internal.
 */
package io.qmp4j.testkit.qemu;
