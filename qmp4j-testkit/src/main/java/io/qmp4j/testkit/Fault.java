package io.qmp4j.testkit;

/**
 * A way for {@link FakeQmpServer} to misbehave on purpose, each imitating a failure seen with real
 * QMP servers.
 *
 * <p>Greeting faults are set with {@link FakeQmpServer.Builder#greetingFault(Fault)}; reply faults
 * with {@link ScriptedReply.Builder#fault(Fault)}. {@link #appliesToGreeting()} and {@link
 * #appliesToReply()} say where a constant may be used; the builders reject the other uses. The
 * timing of {@link #SLOW_DRIP} and the size of {@link #OVERSIZE_LINE} are set on the server's
 * builder.
 *
 * <p>What follows a fault on the same connection: after {@link #NO_GREETING}, {@link
 * #NON_JSON_GREETING} and {@link #NEVER_REPLY} the server still reads and records requests but
 * answers none (the monitor is wedged); after {@link #CLOSE_MID_MESSAGE} and {@link
 * #CLOSE_AFTER_REQUEST} the connection is gone and the next client is served; after any other
 * fault the connection keeps working normally.
 */
public enum Fault {
    /** Greeting: accept, then say nothing, like a QEMU monitor already busy with another client. */
    NO_GREETING(true, false),
    /** Greeting: a JSON error object instead of the greeting, like a proxy refusing the connection. */
    BAD_GREETING(true, false),
    /** Greeting: the HMP banner and prompt, like a socket from {@code -monitor} instead of {@code -qmp}. */
    NON_JSON_GREETING(true, false),
    /** Reply: a line of plain text, like debug output or a human monitor written into the stream. */
    NON_JSON_REPLY(false, true),
    /** Reply: valid JSON that is not an object ({@code [1, 2]}), like a corrupted or foreign stream. */
    NOT_AN_OBJECT_REPLY(false, true),
    /** Reply: an object with none of return/error/event, like a newer or foreign protocol message. */
    UNKNOWN_MESSAGE_REPLY(false, true),
    /** Both: one byte per write, 0.2 ms apart, like a congested link delivering fragments. */
    SPLIT_AT_EVERY_BYTE(true, true),
    /** Both: half of the message, then the connection closes, like QEMU killed while writing. */
    CLOSE_MID_MESSAGE(true, true),
    /** Reply: the request is read, then the connection closes, like QEMU crashing in the command. */
    CLOSE_AFTER_REQUEST(false, true),
    /** Reply: never answered, connection left open, like QEMU hung on storage inside a command. */
    NEVER_REPLY(false, true),
    /** Both: one byte per slow-drip interval, like a heavily overloaded host starving QEMU of CPU. */
    SLOW_DRIP(true, true),
    /** Both: a valid line longer than the configured size, like the 207 KB query-qmp-schema reply. */
    OVERSIZE_LINE(true, true),
    /** Reply: an id-less error before the real reply, like QEMU's "stray" error for an fd's NUL byte. */
    UNSOLICITED_ERROR(false, true),
    /** Reply: the reply is sent twice, like a buggy proxy or multiplexer forwarding it again. */
    DUPLICATE_REPLY(false, true);

    private final boolean greeting;
    private final boolean reply;

    Fault(boolean greeting, boolean reply) {
        this.greeting = greeting;
        this.reply = reply;
    }

    /**
     * Whether this fault can replace or distort the greeting.
     *
     * @return true for faults accepted by {@link FakeQmpServer.Builder#greetingFault(Fault)}
     */
    public boolean appliesToGreeting() {
        return greeting;
    }

    /**
     * Whether this fault can replace or distort a reply.
     *
     * @return true for faults accepted by {@link ScriptedReply.Builder#fault(Fault)}
     */
    public boolean appliesToReply() {
        return reply;
    }
}
