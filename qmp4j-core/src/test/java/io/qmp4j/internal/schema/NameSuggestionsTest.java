package io.qmp4j.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NameSuggestionsTest {
    private static final List<String> NAMES =
            List.of("query-status", "query-version", "device_add", "blockdev-add", "driver", "node-name", "id");

    @ParameterizedTest
    @CsvSource({
        "query-stauts, query-status",   // transposition
        "query-statu, query-status",    // deletion
        "query-versions, query-version", // insertion
        "device-add, device_add",       // - for _
        "Blockdev_Add, blockdev-add",   // case and _ for -
        "drivr, driver",
        "nod-name, node-name",
        "ib, id"
    })
    void suggestsNearMisses(String wrong, String expected) {
        assertThat(NameSuggestions.closest(wrong, NAMES)).isEqualTo(expected);
    }

    @Test
    void suggestsNothingWhenNothingIsClose() {
        assertThat(NameSuggestions.closest("frobnicate", NAMES)).isNull();
        assertThat(NameSuggestions.closest("drv", NAMES)).isNull();
        assertThat(NameSuggestions.closest("x", List.of())).isNull();
    }

    @Test
    void distanceCountsTranspositionsAsOne() {
        assertThat(NameSuggestions.distance("ab", "ba")).isEqualTo(1);
        assertThat(NameSuggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(NameSuggestions.distance("", "abc")).isEqualTo(3);
    }
}
