package io.qmp4j.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.message.QmpEvent;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which events a subscription or {@code awaitEvent} wants: by name, by a predicate on the
 * event's {@code data}, or both. Immutable; combine with {@link #where(Predicate)} and
 * {@link #whereData(String, String)}.
 *
 * <pre>{@code
 * EventFilter.named("DEVICE_DELETED").whereData("device", "nic1")
 * }</pre>
 */
public final class EventFilter {
    private static final EventFilter ANY = new EventFilter(Set.of(), null, "any event");

    private final Set<String> names;
    private final Predicate<JsonNode> dataPredicate;
    private final String description;

    private EventFilter(Set<String> names, Predicate<JsonNode> dataPredicate, String description) {
        this.names = names;
        this.dataPredicate = dataPredicate;
        this.description = description;
    }

    /** A filter that matches every event. */
    public static EventFilter any() {
        return ANY;
    }

    /** A filter that matches events with one of {@code names} (exact, case-sensitive, e.g. {@code STOP}). */
    public static EventFilter named(String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("named(...) needs at least one event name");
        }
        for (String n : names) {
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException("event names must not be blank: " + Arrays.toString(names));
            }
        }
        return new EventFilter(Set.of(names), null, "events " + String.join("|", names));
    }

    /** This filter, further restricted to events whose {@code data} satisfies {@code predicate}. */
    public EventFilter where(Predicate<JsonNode> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        Predicate<JsonNode> combined = dataPredicate == null ? predicate : dataPredicate.and(predicate);
        return new EventFilter(names, combined, description + " where <predicate>");
    }

    /** This filter, further restricted to events whose {@code data.field} is the text {@code value}. */
    public EventFilter whereData(String field, String value) {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
        Predicate<JsonNode> p = data -> value.equals(data.path(field).asText(null));
        Predicate<JsonNode> combined = dataPredicate == null ? p : dataPredicate.and(p);
        return new EventFilter(names, combined, description + " where data." + field + "=" + value);
    }

    /** Whether {@code event} passes this filter; a throwing predicate counts as no match. */
    public boolean matches(QmpEvent event) {
        if (!names.isEmpty() && !names.contains(event.name())) {
            return false;
        }
        if (dataPredicate == null) {
            return true;
        }
        try {
            return dataPredicate.test(event.data());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A short description, for example {@code events STOP|RESUME where data.device=nic1}. */
    @Override
    public String toString() {
        return description;
    }
}
