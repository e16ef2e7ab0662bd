package io.qmp4j;

import java.util.Objects;
import java.util.Optional;

/**
 * A command or its arguments do not match QEMU's schema, found before anything was sent: QEMU
 * has not seen the command. Thrown by {@link io.qmp4j.schema.QmpSchema#validate} and, when the
 * connection was built with {@link QmpConnectionBuilder#validateCommands(boolean)}, by
 * {@code execute} and {@code executeAsync}.
 *
 * <p>The message reads {@code COMMAND: PATH: PROBLEM[; expected X][, got Y][; did you mean 'Z'?]},
 * for example {@code blockdev-add: arguments.drivr: unknown argument; expected one of driver,
 * node-name, ...; did you mean 'driver'?}.
 */
public final class QmpValidationException extends QmpException {
    private static final long serialVersionUID = 1L;

    /** What kind of mismatch was found. */
    public enum Kind {
        /** The command is not in the schema (path {@code execute}). */
        UNKNOWN_COMMAND,
        /** An object member (an argument, or a member of a nested object) is not in its type. */
        UNKNOWN_ARGUMENT,
        /** A required member is absent. */
        MISSING_ARGUMENT,
        /** A value has the wrong JSON type, for example a string where an int is expected. */
        WRONG_TYPE,
        /** A string is not one of its enum's values. */
        BAD_ENUM_VALUE,
        /** A value's JSON type matches none of an alternate's branches. */
        NO_ALTERNATE_BRANCH
    }

    private final String command;
    private final Kind kind;
    private final String path;
    private final String reason;
    private final String expected;
    private final String suggestion;

    /**
     * Creates the exception.
     *
     * @param command    the command being validated
     * @param kind       the kind of mismatch
     * @param path       where: {@code execute} for the command name, else {@code arguments.a.b[2].c}
     * @param problem    what is wrong, for example {@code unknown argument}
     * @param expected   what the schema expects there, or {@code null}
     * @param actual     what was found (shortened), or {@code null}
     * @param suggestion the near-miss name probably meant, or {@code null}
     */
    public QmpValidationException(String command, Kind kind, String path, String problem, String expected,
            String actual, String suggestion) {
        this(command, kind, path, reason(problem, expected, actual, suggestion), expected, suggestion);
    }

    private QmpValidationException(String command, Kind kind, String path, String reason, String expected,
            String suggestion) {
        super(command + ": " + path + ": " + reason);
        this.command = Objects.requireNonNull(command, "command");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.path = Objects.requireNonNull(path, "path");
        this.reason = reason;
        this.expected = expected;
        this.suggestion = suggestion;
    }

    private static String reason(String problem, String expected, String actual, String suggestion) {
        StringBuilder s = new StringBuilder(Objects.requireNonNull(problem, "problem"));
        if (expected != null) {
            s.append("; expected ").append(expected);
        }
        if (actual != null) {
            s.append(expected != null ? ", got " : "; got ").append(actual);
        }
        if (suggestion != null) {
            s.append("; did you mean '").append(suggestion).append("'?");
        }
        return s.toString();
    }

    /** The command that failed validation. */
    public String command() {
        return command;
    }

    /** The kind of mismatch. */
    public Kind kind() {
        return kind;
    }

    /** Where the mismatch is: {@code execute} for the command name, else a path such as {@code arguments.node-name}. */
    public String path() {
        return path;
    }

    /** The message without the command and the path, for example {@code unknown argument; did you mean 'driver'?}. */
    public String reason() {
        return reason;
    }

    /** What the schema expects at {@link #path()}, if it says. */
    public Optional<String> expected() {
        return Optional.ofNullable(expected);
    }

    /** The name that was probably meant, for a misspelt command, argument or enum value. */
    public Optional<String> suggestion() {
        return Optional.ofNullable(suggestion);
    }
}
