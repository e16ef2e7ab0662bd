package io.qmp4j.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.ssl.SslHandler;
import io.qmp4j.QmpAddress;
import io.qmp4j.QmpConnectException;
import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.QmpTlsOptions;
import io.qmp4j.internal.client.Session;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Opens a QMP channel to an address: the socket (UNIX or TCP), TLS when configured, the
 * framing decoder, then the session (QMP's {@link Session} or the guest agent's handler).
 * Caller threads only.
 */
public final class Transports {
    private static final System.Logger LOG = System.getLogger("io.qmp4j.transport");
    private Transports() {
    }

    /** An open channel and what must be released with it (the stdio bridge's thread and loop). */
    public record Link(Channel channel, AutoCloseable extra) {
        /** Caller thread, never an event loop: closes the channel and then the extra resources. */
        public void close() {
            channel.close().awaitUninterruptibly(2000);
            if (extra != null) {
                try {
                    extra.close();
                } catch (Exception ignored) {
                    // releasing is best effort; the channel is closed already
                }
            }
        }
    }

    /**
     * Caller thread: connects to {@code address} within {@code timeout} and installs the
     * pipeline; for TLS the handshake is part of the connect.
     *
     * @throws QmpConnectException when the socket cannot be opened or the TLS handshake fails;
     *     {@link #isNotThereYet} tells whether waiting might help
     * @throws QmpTimeoutException when connecting takes longer than {@code timeout}
     */
    public static Link connect(EventLoops.Lease lease, QmpAddress address, QmpTlsOptions tls, Duration timeout,
            int maxMessageBytes, ChannelHandler session) {
        if (address instanceof QmpAddress.Stdio stdio) {
            return StdioBridge.connect(stdio.process(), maxMessageBytes, session);
        }
        if (address instanceof QmpAddress.Unix unix) {
            checkSocket(unix.path());
        }
        TlsSetup tlsSetup = tls == null ? null : TlsSetup.create(tls, address);
        SocketAddress remote;
        Class<? extends Channel> channelClass;
        if (address instanceof QmpAddress.Unix unix) {
            remote = lease.isNative() ? new DomainSocketAddress(unix.path().toString())
                    : UnixDomainSocketAddress.of(unix.path());
            channelClass = lease.domainSocketChannel();
        } else {
            QmpAddress.Tcp tcp = (QmpAddress.Tcp) address;
            if (tcp.port() == 0) {
                throw new QmpConnectException("cannot connect to " + address + ": port 0 is only for listening", null);
            }
            remote = InetSocketAddress.createUnresolved(tcp.host(), tcp.port());
            if (tls == null) {
                warnIfExposed(tcp);
            }
            channelClass = lease.tcpSocketChannel();
        }
        Bootstrap bootstrap = new Bootstrap()
                .group(lease.group())
                .channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (address instanceof QmpAddress.Tcp) {
                            ch.config().setOption(ChannelOption.TCP_NODELAY, true);
                        }
                        if (tlsSetup != null) {
                            ch.pipeline().addLast("tls", tlsSetup.newHandler(ch.alloc()));
                        }
                        install(ch.pipeline(), maxMessageBytes, session);
                    }
                });
        ChannelFuture future = bootstrap.connect(remote);
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!future.awaitUninterruptibly(timeout.toMillis() + 100)) {
            future.cancel(false);
            future.channel().close().awaitUninterruptibly(1000);
            throw new QmpTimeoutException("connecting to " + address + " took longer than " + timeout.toMillis()
                    + " ms", timeout);
        }
        if (!future.isSuccess()) {
            Throwable cause = future.cause();
            future.channel().close().awaitUninterruptibly(1000);
            throw new QmpConnectException("cannot connect to QMP " + where(address) + ": " + describe(cause), cause);
        }
        Channel channel = future.channel();
        if (tlsSetup != null) {
            TlsSetup.awaitHandshake(channel.pipeline().get(SslHandler.class), address,
                    Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())), timeout);
        }
        return new Link(channel, null);
    }

    /**
     * Caller thread: hands a connected UNIX socket whose QMP handshake already ran on the caller
     * thread to an event loop, with the session installed; {@code leftover} holds bytes read past
     * the handshake (events), which reach the session before anything read later. Does not wait
     * for the registration: requests sent meanwhile queue behind it, and a failed registration
     * ends the session.
     */
    public static Link adoptConnected(EventLoops.Lease lease, int fd, byte[] leftover, int maxMessageBytes,
            Session session) {
        Channel channel = new EpollDomainSocketChannel(fd);
        if (leftover.length > 0) {
            channel.pipeline().addLast("leftover", new Leftover(leftover));
        }
        install(channel.pipeline(), maxMessageBytes, session);
        session.attach(channel); // now: calls may be submitted before the loop has run the registration
        lease.group().register(channel).addListener(f -> {
            if (!f.isSuccess()) {
                session.shutdown(new QmpConnectionClosedException("cannot register the QMP socket with an I/O thread",
                        f.cause()));
                channel.unsafe().closeForcibly();
            }
        });
        return new Link(channel, null);
    }

    /** Passes bytes read before the channel existed on first, then leaves the pipeline. */
    private static final class Leftover extends ChannelInboundHandlerAdapter {
        private final byte[] bytes;

        Leftover(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            // fired while registering, before the channel's first read from the socket
            ctx.fireChannelActive();
            ctx.fireChannelRead(Unpooled.wrappedBuffer(bytes));
            ctx.pipeline().remove(this);
        }
    }

    /** A channel a listener accepted, not reading yet, waiting for its connection's {@code connect()}. */
    public record Accepted(Channel channel) {
        /** Caller thread: installs the pipeline and starts reading (QEMU's greeting waits in the socket until then). */
        public Link adopt(int maxMessageBytes, Session session) {
            channel.eventLoop().submit(() -> {
                install(channel.pipeline(), maxMessageBytes, session);
                channel.config().setAutoRead(true);
            }).awaitUninterruptibly(5000);
            if (!channel.isActive()) {
                channel.close();
                throw new QmpConnectException("QEMU closed the connection (" + channel.remoteAddress()
                        + ") before it was accepted", null);
            }
            return new Link(channel, null);
        }
    }

    /** Caller thread: a plain-text monitor beyond loopback lets anyone on the path control the VM. */
    private static void warnIfExposed(QmpAddress.Tcp tcp) {
        try {
            java.net.InetAddress resolved = java.net.InetAddress.getByName(tcp.host());
            if (!resolved.isLoopbackAddress()) {
                LOG.log(System.Logger.Level.WARNING, "QMP over plain TCP to " + tcp + " (" + resolved.getHostAddress()
                        + "), not a loopback address: anyone who can reach it controls the VM and reads its traffic;"
                        + " use TLS (QmpConnectionBuilder.tls) or a UNIX socket");
            }
        } catch (java.net.UnknownHostException e) {
            // connect() reports it
        }
    }

    /** Any thread: the framing decoder and the session, the pipeline every transport ends with. */
    static void install(ChannelPipeline pipeline, int maxMessageBytes, ChannelHandler session) {
        pipeline.addLast("framing", new QmpFrameDecoder(maxMessageBytes));
        pipeline.addLast("session", session);
    }

    /**
     * Whether {@code e}, thrown by {@link #connect}, means the monitor is not there yet (no such
     * socket file, or nobody listening), so that trying again later may succeed.
     */
    public static boolean isNotThereYet(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof NoSuchFileException || (c.getMessage() != null && c.getMessage().contains("No such file"))) {
                return true;
            }
        }
        return isRefused(e);
    }

    /** Whether {@code e}, thrown by {@link #connect}, means the socket exists but nobody accepts on it. */
    public static boolean isRefused(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || (c.getMessage() != null && c.getMessage().contains("Connection refused"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Caller thread: Ganeti's {@code _check_socket}. A missing path or a non-socket gets its own
     * clear message, before any I/O thread is started for it.
     *
     * @throws QmpConnectException when {@code path} does not exist or is not a socket
     */
    public static void checkSocket(Path path) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new QmpConnectException("cannot connect to QMP socket " + path + ": no such file (is QEMU running"
                    + " with -qmp unix:" + path + ",server=on?)", e);
        } catch (IOException e) {
            throw new QmpConnectException("cannot connect to QMP socket " + path + ": " + describe(e), e);
        }
        if (!attrs.isOther()) {
            throw new QmpConnectException("cannot connect to QMP socket " + path + ": it is not a socket ("
                    + (attrs.isDirectory() ? "a directory" : "a regular file") + ")", null);
        }
    }

    private static String where(QmpAddress address) {
        return address instanceof QmpAddress.Unix u ? "socket " + u.path() : address.toString();
    }

    /** The message of {@code cause}, or its class name when it has none. */
    public static String describe(Throwable cause) {
        String m = cause.getMessage();
        return m == null ? cause.getClass().getSimpleName() : m;
    }
}
