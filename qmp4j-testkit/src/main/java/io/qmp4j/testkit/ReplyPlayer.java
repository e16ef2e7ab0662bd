package io.qmp4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Writes the greeting and scripted replies of one connection, applying their faults. Internal;
 * every method runs on the session thread except {@link #event}, which may run on any thread.
 */
final class ReplyPlayer {
    /** What the session does after a message was played. */
    enum Outcome {
        /** Keep reading and answering requests. */
        CONTINUE,
        /** Keep reading and recording requests, but never answer again. */
        WEDGE,
        /** Close the connection. */
        CLOSE
    }

    /** What QEMU's HMP prints on connect; the text of {@link Fault#NON_JSON_GREETING}. */
    private static final String HMP_BANNER = " monitor - type 'help' for more information\r\n(qemu) ";

    /** The stray-byte error of FACTS.md, sent by {@link Fault#UNSOLICITED_ERROR}. */
    private static final String STRAY_ERROR = "JSON parse error, stray ''";

    private static final String MARKER = "@@qmp4j-oversize-filler@@";

    private final MessageWriter writer;
    private final ServerConfig config;

    ReplyPlayer(MessageWriter writer, ServerConfig config) {
        this.writer = writer;
        this.config = config;
    }

    /** Writes the greeting (QMP spec, section 2.2), distorted by the server's greeting fault. */
    Outcome greeting() throws IOException {
        ObjectNode greeting = greetingMessage(config.packageName());
        Fault fault = config.greetingFault();
        if (fault == null) {
            writer.write(QmpWire.line(greeting));
            return Outcome.CONTINUE;
        }
        switch (fault) {
            case NO_GREETING:
                return Outcome.WEDGE;
            case BAD_GREETING:
                String desc = "not a QMP greeting (qmp4j FakeQmpServer, Fault.BAD_GREETING)";
                writer.write(QmpWire.line(QmpWire.errorMessage("GenericError", desc, null)));
                return Outcome.CONTINUE;
            case NON_JSON_GREETING:
                String version = config.major() + "." + config.minor() + "." + config.micro();
                writer.write(("QEMU " + version + HMP_BANNER).getBytes(StandardCharsets.UTF_8));
                return Outcome.WEDGE;
            case OVERSIZE_LINE:
                writeOversize(greetingMessage(MARKER));
                return Outcome.CONTINUE;
            default:
                return distort(QmpWire.line(greeting), fault);
        }
    }

    /** Plays a scripted reply to a request whose id is {@code id} (null when it had none). */
    Outcome play(ScriptedReply reply, JsonNode id) throws IOException {
        sleep(reply.delay());
        for (ScriptedEvent e : reply.eventsBefore()) {
            event(e.name(), e.data());
        }
        Outcome outcome = writeReply(reply, id);
        if (outcome != Outcome.CONTINUE) {
            return outcome;
        }
        for (ScriptedEvent e : reply.eventsAfter()) {
            event(e.name(), e.data());
        }
        return reply.closeAfterReply() ? Outcome.CLOSE : Outcome.CONTINUE;
    }

    /** Writes one event stamped now (QMP spec, section 2.5). Runs on any thread. */
    void event(String name, JsonNode data) throws IOException {
        writer.write(QmpWire.line(QmpWire.event(name, data, Instant.now())));
    }

    private Outcome writeReply(ScriptedReply reply, JsonNode id) throws IOException {
        byte[] line = QmpWire.line(replyMessage(reply, id));
        if (reply.fault() == null) {
            writer.write(line);
            return Outcome.CONTINUE;
        }
        switch (reply.fault()) {
            case CLOSE_AFTER_REQUEST:
                return Outcome.CLOSE;
            case NEVER_REPLY:
                return Outcome.WEDGE;
            case NON_JSON_REPLY:
                writer.write(ascii("qmp4j FakeQmpServer: this line is not JSON\r\n"));
                return Outcome.CONTINUE;
            case NOT_AN_OBJECT_REPLY:
                writer.write(ascii("[1, 2]\r\n"));
                return Outcome.CONTINUE;
            case UNKNOWN_MESSAGE_REPLY:
                ObjectNode unknown = QmpWire.MAPPER.createObjectNode();
                unknown.putObject("unexpected");
                writer.write(QmpWire.line(id == null ? unknown : unknown.set("id", id)));
                return Outcome.CONTINUE;
            case UNSOLICITED_ERROR:
                ObjectNode stray = QmpWire.errorMessage("GenericError", STRAY_ERROR, null);
                writer.writeAll(QmpWire.line(stray), line);
                return Outcome.CONTINUE;
            case DUPLICATE_REPLY:
                writer.writeAll(line, line);
                return Outcome.CONTINUE;
            case OVERSIZE_LINE:
                writeOversize(QmpWire.returnMessage(TextNode.valueOf(MARKER), id));
                return Outcome.CONTINUE;
            default:
                return distort(line, reply.fault());
        }
    }

    /** Applies a fault that only changes how the bytes of a message travel. */
    private Outcome distort(byte[] line, Fault fault) throws IOException {
        switch (fault) {
            case SPLIT_AT_EVERY_BYTE:
                writer.writeBytewise(line, null);
                return Outcome.CONTINUE;
            case SLOW_DRIP:
                writer.writeBytewise(line, config.slowDripInterval());
                return Outcome.CONTINUE;
            case CLOSE_MID_MESSAGE:
                writer.writeHalfAndClose(line);
                return Outcome.CLOSE;
            default:
                throw new IllegalArgumentException(fault + " cannot be applied here");
        }
    }

    /** Writes {@code template} with its marker string padded so the line is the configured size. */
    private void writeOversize(ObjectNode template) throws IOException {
        String text = QmpWire.text(template) + "\r\n";
        int at = text.indexOf(MARKER);
        String prefix = text.substring(0, at);
        String suffix = text.substring(at + MARKER.length());
        long fixed = ascii(prefix).length + (long) suffix.getBytes(StandardCharsets.UTF_8).length;
        writer.writePadded(prefix, Math.max(0, config.oversizeLineBytes() - fixed), suffix);
    }

    private ObjectNode greetingMessage(String packageName) {
        return QmpWire.greeting(
                config.major(), config.minor(), config.micro(), packageName, config.capabilities());
    }

    private static ObjectNode replyMessage(ScriptedReply reply, JsonNode id) {
        return reply.isSuccess()
                ? QmpWire.returnMessage(reply.returnValue(), id)
                : QmpWire.errorMessage(reply.errorClass(), reply.errorDescription(), id);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void sleep(Duration delay) throws InterruptedIOException {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during a scripted delay");
        }
    }
}
