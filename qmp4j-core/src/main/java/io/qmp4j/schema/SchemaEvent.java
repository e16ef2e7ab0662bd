package io.qmp4j.schema;

import java.util.List;

/**
 * An event ({@code meta-type: event}).
 *
 * @param name     the event's name, for example {@code STOP}
 * @param argType  the name of its data type, an object type ({@code "0"}, empty, when it has no data)
 * @param features its features
 */
public record SchemaEvent(String name, String argType, List<String> features) {
    /** Copies the features. */
    public SchemaEvent {
        features = List.copyOf(features);
    }
}
