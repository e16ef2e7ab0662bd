package io.qmp4j.codegen;

/** The fixed part of {@code QemuApi}: its Javadoc, factory, and event helpers. */
final class ApiTemplate {
    private ApiTemplate() {
    }

    static String head(String qemuVersion, int commands, int events) {
        return """
                /**
                 * The typed QMP API generated from the schema of QEMU %1$s: one method per command, in a
                 * blocking form ({@code queryStatus()}) and an asynchronous one ({@code queryStatusAsync()}),
                 * taking typed arguments and returning records, enums, sealed unions and lists; %2$d commands
                 * and %3$d event records ({@link QemuEvent}).
                 *
                 * <pre>{@code
                 * QemuApi api = QemuApi.of(qmp);
                 * StatusInfo status = api.queryStatus();
                 * api.stop();
                 * StopEvent stopped = api.awaitEvent(StopEvent.class, Duration.ofSeconds(5));
                 * }</pre>
                 *
                 * <p>Methods run through the wrapped {@link QmpConnection} with its default command timeout
                 * and its exceptions ({@link io.qmp4j.QmpCommandException} for QEMU's errors). Commands with
                 * up to two optional arguments take them as parameters ({@code null} leaves one out) and also
                 * have an overload without them; commands with more take an {@code ...Arguments} record built
                 * with its builder. Members QEMU adds later are ignored when reading replies, and enum values
                 * it adds later read as {@code UNKNOWN}. A command the connected QEMU lacks fails with
                 * {@link io.qmp4j.QmpCommandNotFoundException}, or before sending with
                 * {@link io.qmp4j.QmpValidationException} on a connection that validates commands.
                 * Thread-safe, like the connection.
                 */
                public final class QemuApi {
                    /** The QEMU version whose schema this API was generated from. */
                    public static final String SCHEMA_QEMU_VERSION = %4$s;

                    private final QmpConnection qmp;

                    private QemuApi(QmpConnection qmp) {
                        this.qmp = java.util.Objects.requireNonNull(qmp, "qmp");
                    }

                    /** The typed API over {@code qmp}; cheap, holds no state of its own. */
                    public static QemuApi of(QmpConnection qmp) {
                        return new QemuApi(qmp);
                    }

                    /** The connection this API runs commands on. */
                    public QmpConnection connection() {
                        return qmp;
                    }

                    /**
                     * The schema this API was generated from, parsed once: for checks without a connection,
                     * for example {@code QemuApi.bundledSchema().validate(command, arguments)}.
                     */
                    public static io.qmp4j.schema.QmpSchema bundledSchema() {
                        return ApiCodec.bundledSchema();
                    }

                    /**
                     * Waits for an event of record class {@code type}, as {@link QmpConnection#awaitEvent} does
                     * (it cannot miss an event sent before the reply of this thread's last command).
                     *
                     * @throws io.qmp4j.QmpTimeoutException when none arrives in time
                     */
                    public <E extends QemuEvent> E awaitEvent(Class<E> type, Duration timeout) {
                        return TypedEvents.awaitEvent(qmp, type, timeout);
                    }

                    /**
                     * Calls {@code listener} with each event of record class {@code type}, in order, on the
                     * connection's event executor; close the subscription to stop.
                     */
                    public <E extends QemuEvent> EventSubscription onEvent(Class<E> type, Consumer<? super E> listener) {
                        return TypedEvents.onEvent(qmp, type, listener);
                    }

                """.formatted(qemuVersion, commands, events, JavaNames.literal(qemuVersion));
    }
}
