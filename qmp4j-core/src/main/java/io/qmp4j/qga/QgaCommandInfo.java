package io.qmp4j.qga;

import java.util.Objects;

/**
 * One command the agent knows, from {@code guest-info}'s {@code supported_commands}.
 *
 * @param name            the command, for example {@code guest-exec}
 * @param enabled         false when the agent was started with it blocked ({@code -b}) or it is
 *                        unavailable on this guest
 * @param successResponse false for commands that answer only when they fail
 *                        ({@code guest-shutdown}, {@code guest-suspend-*})
 */
public record QgaCommandInfo(String name, boolean enabled, boolean successResponse) {
    /** Checks that the name is present. */
    public QgaCommandInfo {
        Objects.requireNonNull(name, "name");
    }
}
