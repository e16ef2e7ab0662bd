package io.qmp4j.testkit;

/**
 * Decides what {@link FakeQmpServer} answers to a command.
 *
 * <p>The server calls it on its own thread, one command at a time, for each well-formed request
 * that QEMU would dispatch: {@code qmp_capabilities} at any time, other commands once capabilities
 * negotiation is complete. Requests QEMU rejects before dispatch (malformed input, commands before
 * negotiation) never reach it. The default is {@link QueueDispatcher}.
 */
@FunctionalInterface
public interface QmpDispatcher {
    /**
     * Returns the reply to {@code command}, or null to let the server answer as QEMU 7.2 would.
     *
     * <p>A runtime exception thrown here is answered with a {@code GenericError} naming it.
     *
     * @param command the request, already recorded
     * @return the scripted reply, or null for the built-in behaviour
     */
    ScriptedReply dispatch(RecordedCommand command);
}
