package io.qmp4j.vm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A migration's state from {@code query-migrate}.
 *
 * @param status           QEMU's {@code MigrationStatus}: {@code none}, {@code setup}, {@code active},
 *                         {@code completed}, {@code failed}, {@code cancelled}, ...
 * @param transferredBytes RAM bytes sent so far ({@code ram.transferred})
 * @param remainingBytes   RAM bytes still to send ({@code ram.remaining})
 * @param totalBytes       guest RAM ({@code ram.total})
 * @param mbps             the current speed in Mbit/s ({@code ram.mbps})
 * @param error            QEMU's reason when {@code failed} ({@code error-desc}), else null
 * @param raw              the whole {@code query-migrate} answer
 */
public record MigrationProgress(String status, long transferredBytes, long remainingBytes, long totalBytes,
        double mbps, String error, JsonNode raw) {

    static MigrationProgress of(JsonNode r) {
        JsonNode ram = r.path("ram");
        return new MigrationProgress(r.path("status").asText("none"), ram.path("transferred").asLong(),
                ram.path("remaining").asLong(), ram.path("total").asLong(), ram.path("mbps").asDouble(),
                r.hasNonNull("error-desc") ? r.path("error-desc").asText() : null, r);
    }

    /** Whether the migration has ended, well or not ({@code completed}, {@code failed}, {@code cancelled}). */
    public boolean finished() {
        return status.equals("completed") || status.equals("failed") || status.equals("cancelled");
    }
}
