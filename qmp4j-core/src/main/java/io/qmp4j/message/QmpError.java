package io.qmp4j.message;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * An error reply, {@code {"id": ID, "error": {"class": C, "desc": D}}}
 * (QMP spec, section 2.4.2 "error").
 *
 * @param errorClass  {@code error.class}, for example {@code GenericError} or {@code CommandNotFound}
 * @param description {@code error.desc}, QEMU's text for people
 * @param id          the echoed request id, or {@code null} (QEMU omits it when it could not
 *                    parse the request at all)
 * @param json        the whole message
 * @param raw         the line as received
 */
public record QmpError(String errorClass, String description, JsonNode id, JsonNode json, String raw)
        implements QmpReply {
    /** Checks that the required parts are present. */
    public QmpError {
        Objects.requireNonNull(errorClass, "errorClass");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(raw, "raw");
    }
}
