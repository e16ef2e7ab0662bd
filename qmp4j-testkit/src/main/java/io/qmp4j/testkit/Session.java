package io.qmp4j.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * One client connection to {@link FakeQmpServer}: greeting, capabilities negotiation, then
 * requests answered in order, as a QEMU 7.2 monitor does (QMP spec, sections 2 and 4). Internal.
 *
 * <p>{@link #run()} runs on the server thread; {@link #emitEvent} and {@link #close()} on any.
 */
final class Session {
    private static final String GENERIC = "GenericError";

    private final SocketChannel channel;
    private final int index;
    private final QmpDispatcher dispatcher;
    private final BuiltinCommands builtins;
    private final CommandLog log;
    private final MessageWriter writer;
    private final ReplyPlayer player;
    private volatile boolean eventsAllowed;
    private boolean negotiated;
    private boolean oobEnabled;

    Session(
            SocketChannel channel,
            int index,
            ServerConfig config,
            QmpDispatcher dispatcher,
            BuiltinCommands builtins,
            CommandLog log) {
        this.channel = channel;
        this.index = index;
        this.dispatcher = dispatcher;
        this.builtins = builtins;
        this.log = log;
        this.writer = new MessageWriter(channel);
        this.player = new ReplyPlayer(writer, config);
    }

    /** Serves the connection until either side closes it. Runs on the server thread. */
    void run() {
        try {
            // Events emitted meanwhile wait for the lock, so they always follow the greeting.
            ReplyPlayer.Outcome outcome = writer.exclusive(() -> {
                eventsAllowed = true;
                return player.greeting();
            });
            boolean wedged = outcome == ReplyPlayer.Outcome.WEDGE;
            RequestReader reader = new RequestReader(channel);
            while (outcome != ReplyPlayer.Outcome.CLOSE) {
                RequestReader.Request request = reader.next();
                if (request == null) {
                    return;
                }
                RecordedCommand command = log.record(request, index);
                if (!wedged) {
                    outcome = handle(command);
                    wedged = outcome == ReplyPlayer.Outcome.WEDGE;
                }
            }
        } catch (JsonProcessingException e) {
            // Unlike QEMU, a Jackson stream cannot resynchronise after bad input: answer and hang up.
            String desc = "JSON parse error, " + e.getOriginalMessage();
            playQuietly(ScriptedReply.ofError(GENERIC, desc), null);
        } catch (IOException e) {
            // The client or close() ended the connection; nothing is left to answer.
        } finally {
            close();
        }
    }

    /**
     * Writes an event between messages. Runs on any thread.
     *
     * @return false if the connection is gone; waits for the greeting if it is being written
     */
    boolean emitEvent(String name, JsonNode data) {
        if (!eventsAllowed || !channel.isOpen()) {
            return false;
        }
        try {
            player.event(name, data);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Closes the connection; the server thread's blocked read or write then fails. Any thread. */
    void close() {
        eventsAllowed = false;
        try {
            channel.close();
        } catch (IOException e) {
            // closing is best effort
        }
    }

    private ReplyPlayer.Outcome handle(RecordedCommand command) throws IOException {
        JsonNode id = command.id();
        String problem = RequestChecks.problem(command.request(), oobEnabled);
        ScriptedReply reply;
        if (problem != null) {
            reply = ScriptedReply.ofError(GENERIC, problem);
        } else if ("qmp_capabilities".equals(command.name())) {
            reply = negotiate(command);
        } else if (!negotiated) {
            reply =
                    ScriptedReply.ofError(
                            "CommandNotFound", "Expecting capabilities negotiation with 'qmp_capabilities'");
        } else {
            reply = dispatch(command);
            if (reply == null) {
                reply = builtins.reply(command);
            }
        }
        return player.play(reply, id);
    }

    private ScriptedReply negotiate(RecordedCommand command) {
        ScriptedReply reply = dispatch(command);
        if (reply == null) {
            reply = builtins.capabilities(command.arguments(), negotiated);
        }
        if (!negotiated && reply.isSuccess()) {
            negotiated = true;
            JsonNode arguments = command.arguments();
            JsonNode enable = arguments == null ? null : arguments.get("enable");
            oobEnabled = enable != null && enable.isArray() && contains(enable, "oob");
        }
        return reply;
    }

    private ScriptedReply dispatch(RecordedCommand command) {
        try {
            return dispatcher.dispatch(command);
        } catch (RuntimeException e) {
            return ScriptedReply.ofError(GENERIC, "qmp4j FakeQmpServer: dispatcher failed: " + e);
        }
    }

    private void playQuietly(ScriptedReply reply, JsonNode id) {
        try {
            player.play(reply, id);
        } catch (IOException e) {
            // the connection is already gone
        }
    }

    private static boolean contains(JsonNode array, String text) {
        for (JsonNode element : array) {
            if (text.equals(element.asText())) {
                return true;
            }
        }
        return false;
    }
}
