package io.qmp4j.internal.client;

import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;
import io.qmp4j.QmpAddress;
import io.qmp4j.QmpConnectException;
import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.QmpException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.QmpTlsOptions;
import io.qmp4j.framing.QmpFraming;
import io.qmp4j.internal.fd.NativeFds;
import io.qmp4j.internal.transport.EventLoops;
import io.qmp4j.internal.transport.Transports;
import io.qmp4j.message.QmpError;
import io.qmp4j.message.QmpEvent;
import io.qmp4j.message.QmpGreeting;
import io.qmp4j.message.QmpMessage;
import io.qmp4j.message.QmpReturn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Connects to a UNIX monitor and runs the whole QMP handshake on the calling thread, as a
 * single-threaded C client would: {@code socket}, {@code connect}, read the greeting, write
 * {@code qmp_capabilities}, read its reply, with {@code poll} for the waits. Only then is the
 * socket handed to an event loop. The caller is never woken by another thread, which on a
 * virtual machine saves most of the connect time (see docs/benchmarks.md).
 *
 * <p>Used for plain UNIX sockets with Netty's native transport when JNA is present (for
 * {@code poll}); otherwise, or when the socket cannot connect at once, {@link #connect} returns
 * null and the caller uses the event-loop handshake. The two report failures alike. Caller
 * threads only.
 */
public final class CallerHandshake {
    /**
     * Set to {@code false} to always use the event-loop handshake (for comparison and tests);
     * read at every connect.
     */
    public static final String PROPERTY = "qmp4j.callerHandshake";
    private static final System.Logger WIRE = System.getLogger("io.qmp4j.wire");
    private static final int READ_CHUNK = 8192;

    private final QmpAddress.Unix address;
    private final long deadline;
    private final Timeouts timeouts;
    private final int maxMessageBytes;
    private final Session session;
    private final Socket socket;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_CHUNK);
    /** Bytes read and not yet cut into lines: {@code pending[0, pendingLength)}. */
    private byte[] pending = new byte[READ_CHUNK];
    private int pendingLength;
    /** How much of {@code pending} is known to hold no line end. */
    private int scanned;

    private CallerHandshake(QmpAddress.Unix address, long deadline, Timeouts timeouts, int maxMessageBytes,
            Session session, Socket socket) {
        this.address = address;
        this.deadline = deadline;
        this.timeouts = timeouts;
        this.maxMessageBytes = maxMessageBytes;
        this.session = session;
        this.socket = socket;
    }

    /** The connection's exceptions for a greeting, and for a negotiation reply, that came too late. */
    public record Timeouts(Supplier<QmpTimeoutException> noGreeting, Supplier<QmpTimeoutException> noReply) {
    }

    /** Whether a connection to {@code address} can handshake on the caller thread. */
    public static boolean applies(QmpAddress address, QmpTlsOptions tls, EventLoops.Lease lease) {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY)) && address instanceof QmpAddress.Unix
                && tls == null && lease.isNative() && NativeFds.isAvailable();
    }

    /**
     * Caller thread: connects, handshakes with the negotiation {@code session} was given
     * ({@link Session#negotiateOnGreeting}), completes the session's greeting and negotiation,
     * and hands the socket to an event loop. Returns null, having left nothing open, when the
     * socket did not connect at once (the caller then uses the event-loop handshake).
     *
     * @param deadline  {@link System#nanoTime()} by which the handshake must be done
     * @param timeouts  what to throw when it is not
     * @throws QmpConnectException           when the socket cannot be opened
     * @throws QmpTimeoutException           when the greeting or the negotiation reply is late
     * @throws io.qmp4j.QmpProtocolException when QEMU breaks the protocol
     * @throws QmpConnectionClosedException  when QEMU closes the connection during the handshake
     * @throws io.qmp4j.QmpCommandException  when QEMU refuses the negotiation
     */
    public static Transports.Link connect(EventLoops.Lease lease, QmpAddress.Unix address, long deadline,
            Timeouts timeouts, int maxMessageBytes, Session session) {
        Transports.checkSocket(address.path());
        Socket socket = Socket.newSocketDomain();
        boolean handedOver = false;
        try {
            try {
                if (!socket.connect(new DomainSocketAddress(address.path().toString()))) {
                    return null; // would block (listen backlog full): leave it to the event loop's connect
                }
            } catch (IOException e) {
                throw new QmpConnectException("cannot connect to QMP socket " + address.path() + ": "
                        + Transports.describe(e), e);
            }
            CallerHandshake handshake = new CallerHandshake(address, deadline, timeouts, maxMessageBytes, session,
                    socket);
            byte[] leftover = handshake.run();
            Transports.Link link = Transports.adoptConnected(lease, socket.intValue(), leftover, maxMessageBytes,
                    session);
            handedOver = true;
            return link;
        } finally {
            if (!handedOver) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing more to release
                }
            }
        }
    }

    /** The handshake itself; returns the bytes read past the negotiation reply. */
    private byte[] run() {
        QmpGreeting greeting = null;
        while (greeting == null) {
            QmpMessage message = next(timeouts.noGreeting());
            if (message instanceof QmpGreeting g) {
                greeting = g;
            } else if (message instanceof QmpEvent event) {
                session.deliverEarly(event); // QEMU 7.2 can queue its start-up RESUME ahead of the greeting
            } else {
                throw Session.notAGreeting(message);
            }
        }
        Session.Negotiation negotiation = session.negotiationFor(greeting);
        PendingCall call = negotiation.call();
        write(call.request);
        while (true) {
            QmpMessage message = next(timeouts.noReply());
            if (message instanceof QmpEvent event) {
                session.deliverEarly(event);
            } else if (message instanceof QmpReturn ret) {
                call.future.complete(ret);
                session.handshakeDone(greeting, negotiation.window());
                return Arrays.copyOf(pending, pendingLength);
            } else if (message instanceof QmpError error) {
                QmpException refused = ErrorMapper.toException(call.command, error);
                call.future.completeExceptionally(refused);
                throw refused;
            } else {
                throw Session.secondGreeting(message);
            }
        }
    }

    /** The next message, reading as needed until the deadline; blank lines are skipped. */
    private QmpMessage next(Supplier<QmpTimeoutException> late) {
        while (true) {
            int lf = indexOfLineEnd();
            if (lf >= 0) {
                QmpMessage message = QmpFraming.decodeLine(pending, 0, lf, maxMessageBytes);
                System.arraycopy(pending, lf + 1, pending, 0, pendingLength - lf - 1);
                pendingLength -= lf + 1;
                scanned = 0;
                if (message != null) {
                    if (WIRE.isLoggable(System.Logger.Level.TRACE)) {
                        WIRE.log(System.Logger.Level.TRACE, address + " -> " + Session.redacted(message));
                    }
                    return message;
                }
                continue;
            }
            scanned = pendingLength;
            if (pendingLength > maxMessageBytes + 1) {
                QmpFraming.checkIncomplete(pendingLength, Arrays.copyOf(pending, 800), maxMessageBytes);
            }
            read(late);
        }
    }

    private int indexOfLineEnd() {
        for (int i = scanned; i < pendingLength; i++) {
            if (pending[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Reads what the socket has, waiting for it until the deadline. */
    private void read(Supplier<QmpTimeoutException> late) {
        while (true) {
            int n;
            try {
                n = socket.recv(readBuffer, 0, READ_CHUNK);
            } catch (IOException e) {
                throw new QmpConnectionClosedException("I/O error on the QMP socket: " + e, e);
            }
            if (n < 0) {
                throw new QmpConnectionClosedException("QEMU closed the connection");
            }
            if (n > 0) {
                if (pendingLength + n > pending.length) {
                    pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + n));
                }
                readBuffer.get(0, pending, pendingLength, n);
                pendingLength += n;
                return;
            }
            awaitSocket(false, late);
        }
    }

    /** Writes all of {@code request}, waiting for room until the deadline. */
    private void write(byte[] request) {
        ByteBuffer out = ByteBuffer.allocateDirect(request.length).put(request);
        int done = 0;
        while (done < request.length) {
            try {
                done += socket.send(out, done, request.length);
            } catch (IOException e) {
                throw new QmpConnectionClosedException("writing to QEMU failed: " + e, e);
            }
            if (done < request.length) {
                awaitSocket(true, timeouts.noReply());
            }
        }
    }

    private void awaitSocket(boolean forWriting, Supplier<QmpTimeoutException> late) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !NativeFds.await(socket.intValue(), forWriting, (int) Math.min(Integer.MAX_VALUE,
                Math.max(1, left / 1_000_000L)))) {
            throw late.get();
        }
    }
}
