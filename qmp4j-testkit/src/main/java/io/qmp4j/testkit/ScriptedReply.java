package io.qmp4j.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link FakeQmpServer} answers to one command: a return value or an error, events around
 * it, a delay, and optionally a {@link Fault}.
 *
 * <p>Immutable; build one with {@link #builder()} or a shortcut such as {@link #ofReturn(JsonNode)}.
 * Without a return value or an error the reply is {@code {"return": {}}}. The server plays a reply
 * in this order: wait {@link #delay()}, write {@link #eventsBefore()}, write the reply (distorted
 * by the fault, if any), write {@link #eventsAfter()}, then close the connection if {@link
 * #closeAfterReply()}.
 */
public final class ScriptedReply {
    private final String command;
    private final JsonNode returnValue;
    private final String errorClass;
    private final String errorDescription;
    private final List<ScriptedEvent> eventsBefore;
    private final List<ScriptedEvent> eventsAfter;
    private final Duration delay;
    private final Fault fault;
    private final boolean closeAfterReply;

    private ScriptedReply(Builder b) {
        this.command = b.command;
        this.returnValue = b.returnValue;
        this.errorClass = b.errorClass;
        this.errorDescription = b.errorDescription;
        this.eventsBefore = List.copyOf(b.eventsBefore);
        this.eventsAfter = List.copyOf(b.eventsAfter);
        this.delay = b.delay;
        this.fault = b.fault;
        this.closeAfterReply = b.closeAfterReply;
    }

    /**
     * Returns a new builder for a reply that answers any command with {@code {"return": {}}}.
     *
     * @return a builder with every default set
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a reply whose "return" member is {@code value}.
     *
     * @param value the return value; copied
     * @return the reply
     */
    public static ScriptedReply ofReturn(JsonNode value) {
        return builder().returns(value).build();
    }

    /**
     * Returns a reply whose "return" member is the given JSON text, for example {@code "{}"}.
     *
     * @param json JSON text of the return value
     * @return the reply
     * @throws IllegalArgumentException if {@code json} is not valid JSON
     */
    public static ScriptedReply ofReturnJson(String json) {
        return builder().returnsJson(json).build();
    }

    /**
     * Returns an error reply (QMP spec, section 2.4.2).
     *
     * @param errorClass the "class" member, for example {@code "GenericError"}
     * @param description the "desc" member
     * @return the reply
     */
    public static ScriptedReply ofError(String errorClass, String description) {
        return builder().error(errorClass, description).build();
    }

    /**
     * Returns a {@code {"return": {}}} reply distorted by {@code fault}.
     *
     * @param fault a fault that {@link Fault#appliesToReply() applies to replies}
     * @return the reply
     */
    public static ScriptedReply ofFault(Fault fault) {
        return builder().fault(fault).build();
    }

    /**
     * Returns the command this reply is bound to.
     *
     * @return the command name, or null if the reply answers any command but {@code qmp_capabilities}
     */
    public String command() {
        return command;
    }

    /**
     * Returns a copy of the return value.
     *
     * @return the "return" member ({@code {}} by default), or null for an error reply
     */
    public JsonNode returnValue() {
        return returnValue == null ? null : returnValue.deepCopy();
    }

    /**
     * Returns the error class.
     *
     * @return the "class" member of the error, or null for a success reply
     */
    public String errorClass() {
        return errorClass;
    }

    /**
     * Returns the error description.
     *
     * @return the "desc" member of the error, or null for a success reply
     */
    public String errorDescription() {
        return errorDescription;
    }

    /**
     * Returns the events written after the delay and before the reply.
     *
     * @return an unmodifiable list, empty by default
     */
    public List<ScriptedEvent> eventsBefore() {
        return eventsBefore;
    }

    /**
     * Returns the events written after the reply.
     *
     * @return an unmodifiable list, empty by default
     */
    public List<ScriptedEvent> eventsAfter() {
        return eventsAfter;
    }

    /**
     * Returns how long the server waits before it writes anything for this command.
     *
     * @return the delay, {@link Duration#ZERO} by default
     */
    public Duration delay() {
        return delay;
    }

    /**
     * Returns the fault that distorts the reply.
     *
     * @return the fault, or null (the default) for a well-formed reply
     */
    public Fault fault() {
        return fault;
    }

    /**
     * Returns whether the server closes the connection after the reply, as QEMU does after {@code quit}.
     *
     * @return true to close; false by default
     */
    public boolean closeAfterReply() {
        return closeAfterReply;
    }

    /** Tells whether this reply is a success (no error). */
    boolean isSuccess() {
        return errorClass == null;
    }

    @Override
    public String toString() {
        String outcome = errorClass == null
                ? ", return=" + returnValue
                : ", error=" + errorClass + ": " + errorDescription;
        return "ScriptedReply{command=" + command + outcome
                + (fault == null ? "" : ", fault=" + fault)
                + (delay.isZero() ? "" : ", delay=" + delay) + '}';
    }

    /** Builds a {@link ScriptedReply}; not thread-safe. */
    public static final class Builder {
        private String command;
        private JsonNode returnValue = JsonNodeFactory.instance.objectNode();
        private String errorClass;
        private String errorDescription;
        private final List<ScriptedEvent> eventsBefore = new ArrayList<>();
        private final List<ScriptedEvent> eventsAfter = new ArrayList<>();
        private Duration delay = Duration.ZERO;
        private Fault fault;
        private boolean closeAfterReply;

        private Builder() {}

        /**
         * Binds the reply to one command; by default it answers whichever command comes next.
         *
         * <p>Only a bound reply can answer {@code qmp_capabilities}.
         *
         * @param name the command name, for example {@code "query-status"}
         * @return this builder
         */
        public Builder forCommand(String name) {
            this.command = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Sets the return value and clears any error; the default is {@code {}}.
         *
         * @param value the "return" member; copied
         * @return this builder
         */
        public Builder returns(JsonNode value) {
            this.returnValue = Objects.requireNonNull(value, "value").deepCopy();
            this.errorClass = null;
            this.errorDescription = null;
            return this;
        }

        /**
         * Sets the return value from JSON text and clears any error.
         *
         * @param json JSON text of the "return" member
         * @return this builder
         * @throws IllegalArgumentException if {@code json} is not valid JSON
         */
        public Builder returnsJson(String json) {
            Objects.requireNonNull(json, "json");
            try {
                return returns(QmpWire.MAPPER.readTree(json));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("return value is not valid JSON: " + json, e);
            }
        }

        /**
         * Makes this an error reply and clears the return value.
         *
         * @param errorClass the "class" member, for example {@code "GenericError"}
         * @param description the "desc" member
         * @return this builder
         */
        public Builder error(String errorClass, String description) {
            this.errorClass = Objects.requireNonNull(errorClass, "errorClass");
            this.errorDescription = Objects.requireNonNull(description, "description");
            this.returnValue = null;
            return this;
        }

        /**
         * Adds an event written before the reply (after the delay).
         *
         * @param name the event name
         * @param data the "data" member, or null for none; copied
         * @return this builder
         */
        public Builder eventBefore(String name, JsonNode data) {
            eventsBefore.add(new ScriptedEvent(name, data));
            return this;
        }

        /**
         * Adds an event written after the reply.
         *
         * @param name the event name
         * @param data the "data" member, or null for none; copied
         * @return this builder
         */
        public Builder eventAfter(String name, JsonNode data) {
            eventsAfter.add(new ScriptedEvent(name, data));
            return this;
        }

        /**
         * Sets how long to wait before writing anything; the default is zero.
         *
         * @param delay a non-negative duration
         * @return this builder
         * @throws IllegalArgumentException if {@code delay} is negative
         */
        public Builder delay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative, but was " + delay);
            }
            this.delay = delay;
            return this;
        }

        /**
         * Sets the fault that distorts the reply; the default is none (null).
         *
         * @param fault a fault that applies to replies, or null
         * @return this builder
         * @throws IllegalArgumentException if {@code fault} only applies to the greeting
         */
        public Builder fault(Fault fault) {
            if (fault != null && !fault.appliesToReply()) {
                throw new IllegalArgumentException(fault + " applies to the greeting only, not to a reply");
            }
            this.fault = fault;
            return this;
        }

        /**
         * Closes the connection after the reply and its events, as QEMU does after {@code quit};
         * off by default.
         *
         * @return this builder
         */
        public Builder closeAfterReply() {
            this.closeAfterReply = true;
            return this;
        }

        /**
         * Builds the immutable reply.
         *
         * @return the reply
         */
        public ScriptedReply build() {
            return new ScriptedReply(this);
        }
    }
}
