package io.qmp4j.qga;

import java.util.Locale;

/** How {@link QgaConnection#shutdown(ShutdownMode)} ends the guest ({@code guest-shutdown}'s {@code mode}). */
public enum ShutdownMode {
    /** Power off ({@code shutdown -P}); the agent's default. */
    POWERDOWN,
    /** Halt without powering off ({@code shutdown -H}). */
    HALT,
    /** Reboot ({@code shutdown -r}). */
    REBOOT;

    /** The name on the wire: {@code powerdown}, {@code halt} or {@code reboot}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
