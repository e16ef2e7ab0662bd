package io.qmp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
        "10, 10000",
        "10s, 10000",
        "500ms, 500",
        "2m, 120000",
        "1h, 3600000",
        "1.5s, 1500",
        "0.25, 250",
        "' 3s ', 3000",
        "10S, 10000",
        "7 ms, 7",
        "24h, 86400000",
    })
    void parsesNumberWithOptionalUnitDefaultingToSeconds(String text, long millis) {
        assertThat(DurationConverter.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {"", " ", "s", "ms", "-1", "-5s", "5x", "5 sec", "1e3", "1,5s", "PT5S", "0", "0ms",
        "0.0s", "25h", "0.5ms", "5s5", "abc"})
    void rejectsWhatIsNotAPositiveDurationInMilliseconds(String text) {
        assertThatThrownBy(() -> DurationConverter.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void explainsTheSyntaxWhenTheUnitIsUnknown() {
        assertThatThrownBy(() -> DurationConverter.parse("5x"))
                .hasMessage("'5x' is not a duration: use a number with an optional unit ms, s, m or h"
                        + " (10 = 10s, 500ms, 2m)");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> DurationConverter.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void converterReportsFailuresAsPicocliTypeConversionErrors() {
        assertThatThrownBy(() -> new DurationConverter().convert("soon"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'soon' is not a duration");
        assertThat(new DurationConverter().convert("250ms")).isEqualTo(Duration.ofMillis(250));
    }
}
