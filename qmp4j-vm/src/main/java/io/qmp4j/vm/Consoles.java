package io.qmp4j.vm;

import io.qmp4j.vm.internal.Async;
import io.qmp4j.vm.internal.Deadline;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Remote consoles: VNC/SPICE passwords and screen dumps; from {@link QemuVm#consoles()}.
 * Passwords are never written to a message, an exception or a log. Thread-safe.
 */
public final class Consoles {
    private final QemuVm vm;

    Consoles(QemuVm vm) {
        this.vm = vm;
    }

    /**
     * Sets the console password. Sends {@code {"execute":"set_password","arguments":
     * {"protocol":"vnc","password":PASSWORD}}} (QEMU must run with {@code -vnc ...,password=on}
     * or {@code -spice ...}). Failures name the protocol, never the password.
     */
    public void setPassword(ConsoleProtocol protocol, String password) {
        Async.await(setPasswordAsync(protocol, password), vm.timeout());
    }

    /** See {@link #setPassword(ConsoleProtocol, String)}. */
    public CompletableFuture<Void> setPasswordAsync(ConsoleProtocol protocol, String password) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(password, "password");
        Deadline d = vm.deadline();
        return vm.require(VmCapability.CONSOLE_PASSWORDS, "console passwords")
                .thenCompose(v -> vm.call("set_password", Map.of("protocol", protocol.qmpName(), "password",
                        password), d))
                .thenApply(r -> (Void) null)
                .exceptionallyCompose(e -> Async.failed(redacted(Async.unwrap(e), password)));
    }

    /** QEMU's errors do not repeat the password; this guarantees it for every message in the chain. */
    private static Throwable redacted(Throwable t, String password) {
        if (password.isEmpty() || !String.valueOf(t.getMessage()).contains(password)) {
            return t;
        }
        return new io.qmp4j.QmpException(t.getClass().getSimpleName() + ": "
                + t.getMessage().replace(password, "<redacted>"));
    }

    /**
     * Sets when the console password expires. Sends {@code {"execute":"expire_password",
     * "arguments":{"protocol":"vnc","time":TIME}}} with TIME {@code now}, {@code never},
     * {@code +SECONDS} or epoch seconds ({@link PasswordExpiry}).
     */
    public void expirePassword(ConsoleProtocol protocol, PasswordExpiry expiry) {
        Async.await(expirePasswordAsync(protocol, expiry), vm.timeout());
    }

    /** See {@link #expirePassword(ConsoleProtocol, PasswordExpiry)}. */
    public CompletableFuture<Void> expirePasswordAsync(ConsoleProtocol protocol, PasswordExpiry expiry) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(expiry, "expiry");
        Deadline d = vm.deadline();
        return vm.require(VmCapability.CONSOLE_PASSWORDS, "console passwords")
                .thenCompose(v -> vm.call("expire_password", Map.of("protocol", protocol.qmpName(), "time",
                        expiry.qmpValue()), d))
                .thenApply(r -> null);
    }

    /**
     * Writes the primary display to {@code file} as PPM. Sends {@code {"execute":"screendump",
     * "arguments":{"filename":ABSOLUTE_PATH}}}; QEMU writes the file itself, so the path is
     * QEMU's view of the file system. Needs a display device (e.g. {@code -device VGA}).
     */
    public void screendump(Path file) {
        Async.await(screendumpAsync(file, null), vm.timeout());
    }

    /**
     * Writes the primary display to {@code file} in {@code format} ({@code ppm} or, from QEMU 7.1,
     * {@code png}): adds {@code "format":FORMAT}; checks that QEMU's {@code screendump} takes a
     * {@code format} argument ({@code query-qmp-schema}) first.
     */
    public void screendump(Path file, String format) {
        Async.await(screendumpAsync(file, Objects.requireNonNull(format, "format")), vm.timeout());
    }

    /** See {@link #screendump(Path, String)}; {@code format} null sends none (PPM). */
    public CompletableFuture<Void> screendumpAsync(Path file, String format) {
        String path = QemuVm.absolute(file).toString();
        Deadline d = vm.deadline();
        CompletableFuture<Void> checks = vm.require(VmCapability.SCREENDUMP, "screendump");
        if (format != null) {
            checks = checks.thenCompose(v -> vm.requireArgument("screendump", "format", "screendump as " + format));
        }
        return checks.thenCompose(v -> vm.call("screendump", QemuVm.args("filename", path, "format", format), d))
                .thenApply(r -> null);
    }
}
