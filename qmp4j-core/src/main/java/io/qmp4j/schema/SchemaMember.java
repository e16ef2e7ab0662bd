package io.qmp4j.schema;

import java.util.List;

/**
 * A member of an object type: the name of an argument, a field of a return value or of event data.
 *
 * @param name     the member's name as it appears in JSON, for example {@code node-name}
 * @param type     the name of its type
 * @param optional whether it may be absent (introspection marks it with {@code "default": null})
 * @param features its features, for example {@code deprecated} or {@code unstable}
 */
public record SchemaMember(String name, String type, boolean optional, List<String> features) {
    /** Copies the features. */
    public SchemaMember {
        features = List.copyOf(features);
    }
}
