package io.qmp4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * What the shell's completion, {@code /help} and the {@code schema} command need to know about
 * the QMP commands, events and types of the QEMU they talk to. Kept small and CLI-internal so
 * that it can later be implemented over the core's schema model; today {@link RawSchemaHints}
 * implements it over the raw {@code query-qmp-schema} reply.
 *
 * <p>An argument is addressed by its path from the command's arguments object:
 * {@code ["file", "driver"]} is {@code file.driver=...} in the shell. {@code given} is the
 * arguments object typed so far (or {@code null}): it lets a union's tag member
 * ({@code driver=qcow2}) select which variant's members apply.
 */
interface SchemaHints {

    /** One argument (object member) of a command, an event or a type. */
    record Member(String name, String type, boolean optional) {
    }

    /** The names of the commands QEMU accepts, sorted. */
    SortedSet<String> commands();

    /** The names of the events QEMU may send, sorted. */
    SortedSet<String> events();

    /**
     * The members of the object at {@code path} in {@code command}'s arguments (the top level
     * when {@code path} is empty), or an empty list when there is no such object.
     */
    List<Member> arguments(String command, List<String> path, JsonNode given);

    /**
     * The values that argument {@code path} of {@code command} takes when they form a closed
     * set (an enum's values, {@code true}/{@code false}), else an empty list.
     */
    List<String> values(String command, List<String> path, JsonNode given);

    /**
     * A readable description of the command, event or type called {@code name}: its arguments
     * or members with their types, and what a command returns; empty when QEMU has none by that
     * name.
     */
    Optional<String> describe(String name);

    /** The schema's raw entry for {@code name} (QEMU's JSON), if any. */
    Optional<JsonNode> entity(String name);
}
