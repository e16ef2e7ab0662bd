package io.qmp4j.schema;

import java.util.List;
import java.util.Optional;

/**
 * An object type ({@code meta-type: object}): a JSON object with named members and, for a flat
 * union, a tag member whose value selects extra members from one of the {@link #variants()}.
 *
 * @param name     the masked type name ({@code "0"} is the empty object of commands without arguments)
 * @param members  the base members, in schema order
 * @param tag      the name of the tag member for a union, else {@code null}
 * @param variants the union's branches (empty unless {@code tag} is set); a tag value without a
 *                 branch adds no members
 * @param features the type's features
 */
public record ObjectType(String name, List<SchemaMember> members, String tag, List<SchemaVariant> variants,
        List<String> features) implements SchemaType {
    /** Copies the lists. */
    public ObjectType {
        members = List.copyOf(members);
        variants = List.copyOf(variants);
        features = List.copyOf(features);
    }

    @Override
    public JsonType jsonType() {
        return JsonType.OBJECT;
    }

    /** The base member called {@code memberName}, if there is one. */
    public Optional<SchemaMember> member(String memberName) {
        return members.stream().filter(m -> m.name().equals(memberName)).findFirst();
    }

    /** Whether this is a flat union (it has a tag member). */
    public boolean isUnion() {
        return tag != null;
    }

    /** The branch for the tag value {@code tagValue}, if the union has one. */
    public Optional<SchemaVariant> variant(String tagValue) {
        return variants.stream().filter(v -> v.tagValue().equals(tagValue)).findFirst();
    }
}
