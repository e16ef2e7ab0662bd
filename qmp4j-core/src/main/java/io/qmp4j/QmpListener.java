package io.qmp4j;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.unix.DomainSocketAddress;
import io.qmp4j.internal.transport.EventLoops;
import io.qmp4j.internal.transport.Transports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Listen mode: we listen and QEMU connects to us, as QEMU does with {@code -qmp unix:PATH}
 * (without {@code server=on}) or {@code -chardev socket,host=H,port=P} (without
 * {@code server=on}) plus {@code -mon chardev=ID,mode=control}. Accepts one or many QEMUs; each
 * becomes an ordinary, connected {@link QmpConnection}.
 *
 * <pre>{@code
 * try (QmpListener listener = QmpListener.bind(QmpAddress.unix(Path.of("/run/qmp4j.sock")))) {
 *     // start qemu-system-x86_64 ... -qmp unix:/run/qmp4j.sock
 *     try (QmpConnection qmp = listener.accept(Duration.ofSeconds(10))) {
 *         qmp.execute("query-status");
 *     }
 * }
 * }</pre>
 *
 * <p>QEMU connects while it starts, so bind before starting it. Connections pending acceptance
 * wait without being read. {@link #close()} stops listening, removes the UNIX socket file it
 * created and closes connections not yet accepted; accepted ones stay open. Thread-safe.
 */
public final class QmpListener implements AutoCloseable {
    private final QmpAddress address;
    private final Consumer<QmpConnectionBuilder> settings;
    private final EventLoops.Lease lease;
    private final Channel server;
    /** Accepted channels not handed out yet; filled by the I/O thread. */
    private final LinkedBlockingQueue<Channel> accepted;
    /** Set first thing in close(); read by the I/O thread that queues accepted channels. */
    private final java.util.concurrent.atomic.AtomicBoolean closing;
    private volatile boolean closed;

    private QmpListener(QmpAddress address, Consumer<QmpConnectionBuilder> settings, EventLoops.Lease lease,
            Channel server, LinkedBlockingQueue<Channel> accepted, java.util.concurrent.atomic.AtomicBoolean closing) {
        this.address = address;
        this.settings = settings;
        this.lease = lease;
        this.server = server;
        this.accepted = accepted;
        this.closing = closing;
    }

    /** Listens on {@code address} (UNIX or TCP) with default connection settings. */
    public static QmpListener bind(QmpAddress address) {
        return bind(address, b -> { });
    }

    /**
     * Listens on {@code address} (UNIX or TCP; port 0 picks a free port, see {@link #address()}).
     * {@code settings} configures each accepted connection's builder (timeouts, oob, events).
     *
     * @throws QmpConnectException when the address cannot be bound, e.g. the UNIX path exists already
     */
    public static QmpListener bind(QmpAddress address, Consumer<QmpConnectionBuilder> settings) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(settings, "settings");
        if (address instanceof QmpAddress.Stdio) {
            throw new IllegalArgumentException("cannot listen on stdio");
        }
        if (address instanceof QmpAddress.Unix unix && Files.exists(unix.path(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new QmpConnectException("cannot listen on " + unix.path() + ": the path exists already (remove a"
                    + " stale socket first)", null);
        }
        EventLoops.Lease lease = EventLoops.acquire();
        LinkedBlockingQueue<Channel> queue = new LinkedBlockingQueue<>();
        SocketAddress local;
        Class<? extends io.netty.channel.ServerChannel> channelClass;
        if (address instanceof QmpAddress.Unix unix) {
            local = lease.isNative() ? new DomainSocketAddress(unix.path().toString()) : UnixDomainSocketAddress.of(unix.path());
            channelClass = lease.domainServerChannel();
        } else {
            QmpAddress.Tcp tcp = (QmpAddress.Tcp) address;
            local = new InetSocketAddress(tcp.host(), tcp.port());
            channelClass = lease.tcpServerChannel();
        }
        boolean isTcp = address instanceof QmpAddress.Tcp;
        java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(lease.group())
                .channel(channelClass)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (isTcp) {
                            ch.config().setOption(ChannelOption.TCP_NODELAY, true);
                        }
                        queue.add(ch);
                        // close() may have drained the queue between the accept and this line
                        if (closing.get() && queue.remove(ch)) {
                            ch.close();
                        }
                    }
                });
        ChannelFuture bound = bound(bootstrap, local);
        if (!bound.isSuccess()) {
            lease.close();
            throw new QmpConnectException("cannot listen on " + address + ": " + bound.cause().getMessage(),
                    bound.cause());
        }
        QmpAddress actual = address;
        if (isTcp && bound.channel().localAddress() instanceof InetSocketAddress inet) {
            actual = QmpAddress.tcp(((QmpAddress.Tcp) address).host(), inet.getPort());
        }
        return new QmpListener(actual, settings, lease, bound.channel(), queue, closing);
    }

    private static ChannelFuture bound(ServerBootstrap bootstrap, SocketAddress local) {
        ChannelFuture f = bootstrap.bind(local);
        if (!f.awaitUninterruptibly(10_000)) {
            f.channel().close();
        }
        return f;
    }

    /** The address listened on; for TCP with port 0, the port actually bound. */
    public QmpAddress address() {
        return address;
    }

    /**
     * Waits up to {@code timeout} for a QEMU to connect, then reads its greeting and negotiates
     * (within the connection's connect timeout) and returns the connected connection. The caller
     * owns it and closes it.
     *
     * @throws QmpTimeoutException   when no QEMU connects in time
     * @throws QmpStateException     when the listener is closed
     * @throws QmpException          as {@link QmpConnection#connect()} when the handshake fails
     */
    public QmpConnection accept(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (closed) {
            throw new QmpStateException("accept()", ConnectionState.CLOSED, "an open listener");
        }
        Channel ch;
        try {
            ch = accepted.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted while waiting for QEMU to connect to " + address, e);
        }
        if (ch == null) {
            throw new QmpTimeoutException("no QEMU connected to " + address + " within " + timeout.toMillis()
                    + " ms", timeout);
        }
        QmpConnectionBuilder b = QmpConnection.builder(address);
        settings.accept(b);
        QmpConnection connection = new QmpConnection(b.address(address), new Transports.Accepted(ch));
        connection.connect();
        return connection;
    }

    /** Stops listening, removes the UNIX socket file and closes connections not yet accepted. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closing.set(true);
        server.close().awaitUninterruptibly(2000);
        Channel ch;
        while ((ch = accepted.poll()) != null) {
            ch.close().awaitUninterruptibly(1000);
        }
        if (address instanceof QmpAddress.Unix unix) {
            try {
                Files.deleteIfExists(unix.path());
            } catch (IOException ignored) {
                // someone else removed or replaced it
            }
        }
        lease.close();
    }

    @Override
    public String toString() {
        return "QmpListener[" + address + (closed ? ", closed" : "") + "]";
    }
}
