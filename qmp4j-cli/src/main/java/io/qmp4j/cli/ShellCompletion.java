package io.qmp4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * The shell's Tab completion: what may come next on a line, given the words before the cursor.
 *
 * <ul>
 *   <li>first word: command names ({@code query-commands}) and built-ins ({@code /help} …);
 *       only built-ins in HMP mode;</li>
 *   <li>after a command: its argument names as {@code name=} (or {@code name.} for objects),
 *       dotted for nested objects ({@code file.fi} gives {@code file.filename=}); a union's
 *       tag typed earlier ({@code driver=qcow2}) narrows them to that variant;</li>
 *   <li>after {@code name=}: the argument's enum values or {@code true}/{@code false};</li>
 *   <li>{@code /help NAME}: commands and events; {@code /events on|off|filter NAME…}: event names.</li>
 * </ul>
 *
 * <p>The logic is a pure function of the words ({@link #complete(List, String)}); the class is
 * also JLine's {@link Completer}. Without schema hints (not loaded yet) only built-ins complete.
 */
final class ShellCompletion implements Completer {
    /** The shell's built-in commands. */
    static final List<String> BUILTINS = List.of("/help", "/events", "/hmp", "/id", "/quit");

    /**
     * One thing Tab can insert.
     *
     * @param value       the whole word to insert
     * @param description a short note shown next to it (a type), or null
     * @param complete    whether the word is finished (a space follows) or goes on ({@code key=})
     */
    record Suggestion(String value, String description, boolean complete) {
    }

    private final Supplier<SchemaHints> hints;
    private final BooleanSupplier hmpMode;

    /**
     * @param hints   the schema hints, or a supplier of null while they are not loaded
     * @param hmpMode whether the shell sends lines as HMP (nothing but built-ins completes then)
     */
    ShellCompletion(Supplier<SchemaHints> hints, BooleanSupplier hmpMode) {
        this.hints = hints;
        this.hmpMode = hmpMode;
    }

    /** Any thread (JLine's reading thread): adds the suggestions for the word at the cursor. */
    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> before = line.words().subList(0, line.wordIndex());
        String word = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        for (Suggestion s : complete(before, word)) {
            candidates.add(new Candidate(s.value(), s.value(), null, s.description(), null, null, s.complete()));
        }
    }

    /**
     * The suggestions for the word being typed, {@code word} (up to the cursor), after the
     * complete words {@code before}; each starts with {@code word}.
     */
    List<Suggestion> complete(List<String> before, String word) {
        List<Suggestion> all = candidates(before, word);
        List<Suggestion> matching = new ArrayList<>();
        for (Suggestion s : all) {
            if (s.value().startsWith(word)) {
                matching.add(s);
            }
        }
        return matching;
    }

    private List<Suggestion> candidates(List<String> before, String word) {
        SchemaHints schema = hints.get();
        if (before.isEmpty()) {
            List<Suggestion> first = new ArrayList<>();
            BUILTINS.forEach(b -> first.add(new Suggestion(b, "built-in", true)));
            if (schema != null && !hmpMode.getAsBoolean() && !word.startsWith("/")) {
                schema.commands().forEach(c -> first.add(new Suggestion(c, null, true)));
            }
            return first;
        }
        String first = before.get(0);
        if (first.startsWith("/")) {
            return builtinArguments(first.toLowerCase(Locale.ROOT), before, schema);
        }
        if (schema == null || hmpMode.getAsBoolean() || first.startsWith("{")) {
            return List.of();
        }
        JsonNode given = typedArguments(before);
        int eq = word.indexOf('=');
        if (eq > 0) {
            String key = word.substring(0, eq);
            List<Suggestion> values = new ArrayList<>();
            for (String v : schema.values(first, path(key), given)) {
                values.add(new Suggestion(key + "=" + v, null, true));
            }
            return values;
        }
        return argumentNames(schema, first, word, given);
    }

    private static List<Suggestion> argumentNames(SchemaHints schema, String command, String word, JsonNode given) {
        int dot = word.lastIndexOf('.');
        String prefix = dot < 0 ? "" : word.substring(0, dot + 1);
        List<String> parent = dot < 0 ? List.of() : path(word.substring(0, dot));
        JsonNode givenHere = given;
        for (String part : parent) {
            givenHere = givenHere == null ? null : givenHere.get(part);
        }
        List<Suggestion> names = new ArrayList<>();
        for (SchemaHints.Member m : schema.arguments(command, parent, given)) {
            if (givenHere != null && givenHere.has(m.name()) && !givenHere.get(m.name()).isObject()) {
                continue; // already given
            }
            String description = m.type() + (m.optional() ? ", optional" : "");
            boolean object = m.type().equals("object") || m.type().endsWith(" or object")
                    || m.type().startsWith("object or ");
            if (!m.type().equals("object")) {
                names.add(new Suggestion(prefix + m.name() + "=", description, false));
            }
            if (object) {
                names.add(new Suggestion(prefix + m.name() + ".", description, false));
            }
        }
        return names;
    }

    private static List<Suggestion> builtinArguments(String builtin, List<String> before, SchemaHints schema) {
        Set<String> values = new LinkedHashSet<>();
        if (builtin.equals("/help") && before.size() == 1 && schema != null) {
            values.addAll(schema.commands());
            values.addAll(schema.events());
        } else if (builtin.equals("/events")) {
            if (before.size() == 1) {
                values.addAll(List.of("on", "off", "filter"));
            } else if (before.get(1).equals("filter") && schema != null) {
                values.addAll(schema.events());
                values.removeAll(before);
            }
        }
        List<Suggestion> result = new ArrayList<>();
        values.forEach(v -> result.add(new Suggestion(v, null, true)));
        return result;
    }

    /** The arguments typed before the cursor, best effort (null when they do not parse yet). */
    private static JsonNode typedArguments(List<String> before) {
        if (before.size() < 2) {
            return null;
        }
        StringBuilder line = new StringBuilder(before.get(0));
        for (String w : before.subList(1, before.size())) {
            if (w.indexOf('=') > 0) {
                line.append(' ').append(quoteIfNeeded(w));
            }
        }
        try {
            return RequestParser.parse(line.toString()).arguments();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** JLine hands words with their quotes removed: quote a value with spaces again. */
    private static String quoteIfNeeded(String word) {
        int eq = word.indexOf('=');
        String value = word.substring(eq + 1);
        return value.chars().anyMatch(Character::isWhitespace) && !value.contains("'")
                ? word.substring(0, eq + 1) + "'" + value + "'" : word;
    }

    private static List<String> path(String dottedKey) {
        return Arrays.asList(dottedKey.split("\\.", -1));
    }
}
