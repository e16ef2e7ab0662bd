package io.qmp4j.schema;

import java.util.List;

/**
 * A command ({@code meta-type: command}).
 *
 * @param name      the command's name, for example {@code query-status}
 * @param argType   the name of its argument type, an object type ({@code "0"}, empty, when it takes none)
 * @param retType   the name of its return type
 * @param allowOob  whether it may run out of band ({@code exec-oob})
 * @param features  its features, for example {@code deprecated}
 */
public record SchemaCommand(String name, String argType, String retType, boolean allowOob, List<String> features) {
    /** Copies the features. */
    public SchemaCommand {
        features = List.copyOf(features);
    }
}
