package io.qmp4j.schema;

/**
 * One branch of a flat union: when the tag member has the value {@code tagValue}, the members of
 * object type {@code type} are added to the base members.
 *
 * @param tagValue the tag's value (introspection's {@code case})
 * @param type     the name of the object type whose members are added
 */
public record SchemaVariant(String tagValue, String type) {
}
