package io.qmp4j.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses the command line's durations: a positive number with an optional unit, {@code ms},
 * {@code s} (the default), {@code m} or {@code h}. So {@code 10} and {@code 10s} are ten seconds,
 * {@code 500ms} half a second, {@code 1.5s} and {@code 2m} what they say.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
    /** The longest duration accepted: one day, far beyond any sensible QMP timeout. */
    static final Duration MAX = Duration.ofDays(1);

    private static final Pattern SYNTAX = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    /** Creates the converter; picocli calls this. */
    public DurationConverter() {
    }

    /**
     * Parses {@code text}, for example {@code 10}, {@code 10s}, {@code 500ms} or {@code 2m}.
     *
     * @throws IllegalArgumentException when the text is not such a duration, is zero, is longer
     *         than a day, or is finer than a millisecond
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a duration is required, like 10s, 500ms or 2m");
        }
        Matcher m = SYNTAX.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text
                    + "' is not a duration: use a number with an optional unit ms, s, m or h (10 = 10s, 500ms, 2m)");
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        BigDecimal millis = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(millisPer(unit)));
        if (millis.signum() == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a positive duration");
        }
        if (millis.compareTo(BigDecimal.valueOf(MAX.toMillis())) > 0) {
            throw new IllegalArgumentException("'" + text + "' is longer than the maximum of 24h");
        }
        if (millis.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("'" + text + "' is finer than a millisecond");
        }
        return Duration.ofMillis(millis.longValueExact());
    }

    private static long millisPer(String unit) {
        switch (unit) {
            case "ms":
                return 1;
            case "s":
                return 1_000;
            case "m":
                return 60_000;
            default:
                return 3_600_000;
        }
    }

    /** Parses {@code value} for picocli, which reports a failure as a usage error (exit 2). */
    @Override
    public Duration convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
