package io.qmp4j.api;

import io.qmp4j.QmpConnection;
import io.qmp4j.api.events.EventTypes;
import io.qmp4j.api.events.QemuEvent;
import io.qmp4j.api.internal.ApiCodec;
import io.qmp4j.event.EventFilter;
import io.qmp4j.event.EventSubscription;
import io.qmp4j.message.QmpEvent;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Typed events: QMP events read as the generated records of {@link QemuEvent}. Data members QEMU
 * adds later are ignored; the raw event stays available through the connection's own methods.
 */
public final class TypedEvents {
    private TypedEvents() {
    }

    /** The record of {@code event}, if its name is one of the schema's events. */
    public static Optional<QemuEvent> decode(QmpEvent event) {
        return EventTypes.forName(event.name()).map(type -> read(event, type));
    }

    /** Reads {@code event} as record class {@code type}. */
    public static <E extends QemuEvent> E read(QmpEvent event, Class<E> type) {
        if (!EventTypes.nameOf(type).equals(event.name())) {
            throw new IllegalArgumentException("event " + event.name() + " is not a " + type.getSimpleName());
        }
        return ApiCodec.decode(event.data().isMissingNode() ? ApiCodec.args().build() : event.data(), ApiCodec.type(type));
    }

    /** A filter for the events of record class {@code type}. */
    public static EventFilter filter(Class<? extends QemuEvent> type) {
        return EventFilter.named(EventTypes.nameOf(type));
    }

    /** {@link QmpConnection#awaitEvent} for the events of record class {@code type}, read as that record. */
    public static <E extends QemuEvent> E awaitEvent(QmpConnection qmp, Class<E> type, Duration timeout) {
        return read(qmp.awaitEvent(filter(type), timeout), type);
    }

    /** {@link QmpConnection#onEvent} for the events of record class {@code type}, read as that record. */
    public static <E extends QemuEvent> EventSubscription onEvent(QmpConnection qmp, Class<E> type,
            Consumer<? super E> listener) {
        Objects.requireNonNull(listener, "listener");
        return qmp.onEvent(filter(type), e -> listener.accept(read(e, type)));
    }
}
