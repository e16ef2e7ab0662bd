package io.qmp4j.testkit.qemu;

/**
 * A program for {@link QemuProcessIT}: starts QEMU, prints its pid and directory, and exits the JVM
 * without closing it, as an aborted test run would. The shutdown hook must clean up.
 */
final class AbandoningMain {

    private AbandoningMain() {}

    public static void main(String[] args) {
        QemuProcess qemu = QemuProcess.start();
        System.out.println(qemu.pid() + " " + qemu.directory());
        System.out.flush();
        System.exit(0);
    }
}
