package io.qmp4j.schema;

import java.util.List;

/**
 * An alternate ({@code meta-type: alternate}): a value that may be of one of several types, told
 * apart by its JSON type (QAPI forbids two branches of the same JSON type).
 *
 * @param name    the masked type name
 * @param members the names of the branch types, in schema order
 */
public record AlternateType(String name, List<String> members) implements SchemaType {
    /** Copies the members. */
    public AlternateType {
        members = List.copyOf(members);
    }

    /** Always {@code null}: an alternate's JSON type depends on the branch. */
    @Override
    public JsonType jsonType() {
        return null;
    }
}
