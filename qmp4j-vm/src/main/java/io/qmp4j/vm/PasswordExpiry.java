package io.qmp4j.vm;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a console password expires: the {@code time} argument of {@code expire_password}
 * ({@code "now"}, {@code "never"}, {@code "+SECONDS"} or absolute seconds since the epoch).
 *
 * @param qmpValue the exact text sent
 */
public record PasswordExpiry(String qmpValue) {

    /** Validates the text. */
    public PasswordExpiry {
        Objects.requireNonNull(qmpValue, "qmpValue");
        if (!qmpValue.matches("now|never|\\+?[0-9]+")) {
            throw new IllegalArgumentException("expire_password time must be now, never, +SECONDS or SECONDS, got "
                    + qmpValue);
        }
    }

    /** Expires at once: clients must know the new password from now on. */
    public static PasswordExpiry now() {
        return new PasswordExpiry("now");
    }

    /** Never expires. */
    public static PasswordExpiry never() {
        return new PasswordExpiry("never");
    }

    /** Expires {@code delay} from now (whole seconds). */
    public static PasswordExpiry after(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0, got " + delay);
        }
        return new PasswordExpiry("+" + delay.toSeconds());
    }

    /** Expires at {@code time} (whole seconds since the epoch). */
    public static PasswordExpiry at(Instant time) {
        return new PasswordExpiry(Long.toString(time.getEpochSecond()));
    }
}
