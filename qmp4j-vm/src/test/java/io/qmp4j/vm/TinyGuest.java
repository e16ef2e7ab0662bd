package io.qmp4j.vm;

import io.qmp4j.testkit.qemu.QemuProcess;
import io.qmp4j.testkit.qemu.QemuProcessBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A tiny Linux guest for the tests that need a guest OS (PCI unplug via ACPI, the balloon
 * driver): Debian's kernel and busybox, prepared by {@code scripts/ensure-guest.sh} in
 * {@code ~/.cache/qmp4j/guest} ({@code QMP4J_GUEST_DIR} overrides), and an initramfs written
 * here as a cpio archive. Its {@code /init} loads the virtio modules, powers off at the first
 * press of the ACPI power button, and prints
 * {@value #READY} on the serial console, then sleeps. Boots in ~5–15 s under TCG.
 */
final class TinyGuest {
    static final String READY = "qmp4j-guest-ready";
    static final String REQUIRE_PROPERTY = "qmp4j.requireGuest";
    /** Load order matters: each module after those it depends on. */
    private static final List<String> MODULES = List.of("virtio_ring", "virtio", "virtio_pci_legacy_dev",
            "virtio_pci_modern_dev", "virtio_pci", "virtio_balloon", "button", "evdev");

    private TinyGuest() {
    }

    static Path directory() {
        String dir = System.getenv("QMP4J_GUEST_DIR");
        if (dir != null && !dir.isEmpty()) {
            return Path.of(dir);
        }
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isEmpty() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("qmp4j").resolve("guest");
    }

    /** Why the guest cannot be used here, or empty when it can. */
    static Optional<String> missing() {
        Path dir = directory();
        if (!Files.isRegularFile(dir.resolve("VERSION")) || !Files.isRegularFile(dir.resolve("vmlinux"))
                || !Files.isRegularFile(dir.resolve("modules").resolve("button.ko"))
                || !Files.isExecutable(dir.resolve("busybox"))) {
            return Optional.of("the tiny test guest is not in " + dir + ": run ./test.sh (as root on Debian it"
                    + " fetches linux-image-amd64 and busybox-static with apt-get download), or source"
                    + " scripts/ensure-guest.sh and run ensure_guest");
        }
        return Optional.empty();
    }

    /** Writes the initramfs (newc cpio) to {@code file}. */
    static void writeInitramfs(Path file) {
        Path dir = directory();
        String init = "#!/bin/busybox sh\n"
                + "/bin/busybox mount -t proc proc /proc\n"
                + "/bin/busybox mount -t sysfs sys /sys\n"
                + "/bin/busybox mount -t devtmpfs dev /dev\n"
                + "for m in " + String.join(" ", MODULES) + "; do /bin/busybox insmod /lib/$m.ko; done\n"
                // the ACPI power button (system_powerdown): the first byte from it powers off
                + "for e in /sys/class/input/event*; do\n"
                + "  if /bin/busybox grep -q 'Power Button' $e/device/name; then\n"
                + "    (/bin/busybox head -c 1 /dev/input/${e##*/} >/dev/null; /bin/busybox poweroff -f) &\n"
                + "  fi\n"
                + "done\n"
                + "echo " + READY + "\n"
                + "while true; do /bin/busybox sleep 3600; done\n";
        try {
            Cpio cpio = new Cpio();
            for (String d : List.of("bin", "dev", "proc", "sys", "lib")) {
                cpio.entry(d, 0040755, new byte[0], 0, 0);
            }
            cpio.entry("dev/console", 0020600, new byte[0], 5, 1);
            cpio.entry("bin/busybox", 0100755, Files.readAllBytes(dir.resolve("busybox")), 0, 0);
            cpio.entry("init", 0100755, init.getBytes(StandardCharsets.US_ASCII), 0, 0);
            for (String m : MODULES) {
                cpio.entry("lib/" + m + ".ko", 0100644, Files.readAllBytes(dir.resolve("modules").resolve(m + ".ko")),
                        0, 0);
            }
            Files.createDirectories(file.getParent());
            Files.write(file, cpio.finish());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the guest's initramfs " + file, e);
        }
    }

    /** A QEMU that boots the guest, its console in {@code serialLog}. */
    static QemuProcessBuilder qemu(Path initramfs, Path serialLog, int memoryMiB, String... extraArgs) {
        List<String> args = new java.util.ArrayList<>(List.of("-kernel", directory().resolve("vmlinux").toString(),
                "-initrd", initramfs.toString(), "-append", "console=ttyS0 panic=-1 quiet",
                "-serial", "file:" + serialLog));
        args.addAll(List.of(extraArgs));
        return QemuProcess.builder().machine("pc").memoryMiB(memoryMiB).extraArgs(args.toArray(String[]::new));
    }

    /** Waits until the guest printed {@link #READY}. */
    static void awaitReady(Path serialLog, Duration timeout) throws InterruptedException, IOException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(serialLog) || !Files.readString(serialLog, StandardCharsets.ISO_8859_1).contains(READY)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the guest did not boot within " + timeout.toSeconds() + " s; its console:\n"
                        + (Files.exists(serialLog) ? Files.readString(serialLog, StandardCharsets.ISO_8859_1) : ""));
            }
            Thread.sleep(100);
        }
    }

    /** A newc ("070701") cpio writer: enough for an initramfs, device nodes included. */
    static final class Cpio {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int inode = 1;

        void entry(String name, int mode, byte[] data, int rdevMajor, int rdevMinor) {
            byte[] n = (name + "\0").getBytes(StandardCharsets.US_ASCII);
            StringBuilder h = new StringBuilder("070701");
            for (int v : new int[] {inode++, mode, 0, 0, 1, 0, data.length, 0, 0, rdevMajor, rdevMinor, n.length, 0}) {
                h.append(String.format("%08x", v));
            }
            out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(n);
            pad();
            out.writeBytes(data);
            pad();
        }

        private void pad() {
            while (out.size() % 4 != 0) {
                out.write(0);
            }
        }

        byte[] finish() {
            entry("TRAILER!!!", 0, new byte[0], 0, 0);
            return out.toByteArray();
        }
    }
}
