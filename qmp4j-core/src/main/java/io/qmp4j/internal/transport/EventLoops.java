package io.qmp4j.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * The event loops all connections of this JVM share: a handful of daemon threads named
 * {@code qmp4j-io-N}, epoll when Netty's native transport loads, else the JDK selector.
 *
 * <p>Reference counted: the first {@link #acquire()} starts the group, the last
 * {@link Lease#close()} shuts it down and waits for its threads to end, so an application that
 * closes its connections leaves no qmp4j thread behind. Threads start lazily, one per loop in
 * use. System properties: {@code qmp4j.ioThreads} (default min(4, cores)),
 * {@code qmp4j.transport=nio} to force the JDK selector.
 */
public final class EventLoops {
    private static final Object LOCK = new Object();
    private static EventLoopGroup group;
    private static boolean native_;
    private static int references;

    private EventLoops() {
    }

    /** A counted reference to the shared group; close it exactly once. */
    public static final class Lease implements AutoCloseable {
        private final EventLoopGroup group;
        private final boolean nativeTransport;
        private boolean closed;

        private Lease(EventLoopGroup group, boolean nativeTransport) {
            this.group = group;
            this.nativeTransport = nativeTransport;
        }

        /** The shared group. */
        public EventLoopGroup group() {
            return group;
        }

        /** The channel class for UNIX domain sockets on this group. */
        public Class<? extends Channel> domainSocketChannel() {
            return nativeTransport ? EpollDomainSocketChannel.class : NioDomainSocketChannel.class;
        }

        /** The channel class for TCP sockets on this group. */
        public Class<? extends Channel> tcpSocketChannel() {
            return nativeTransport ? EpollSocketChannel.class : NioSocketChannel.class;
        }

        /** The server channel class for UNIX domain sockets on this group. */
        public Class<? extends ServerChannel> domainServerChannel() {
            return nativeTransport ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class;
        }

        /** The server channel class for TCP sockets on this group. */
        public Class<? extends ServerChannel> tcpServerChannel() {
            return nativeTransport ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        }

        /** Whether the group uses Netty's native epoll transport. */
        public boolean isNative() {
            return nativeTransport;
        }

        /** Caller thread (never an event loop): releases the reference; the last one stops the threads. */
        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            release(group);
        }
    }

    /**
     * Any thread: runs {@code task} on {@code channel}'s event loop, or closes the channel when
     * that loop no longer takes tasks (it is shutting down). Nothing happens for a null channel.
     */
    public static void runOnLoopOrClose(Channel channel, Runnable task) {
        if (channel == null) {
            return;
        }
        try {
            channel.eventLoop().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            channel.close();
        }
    }

    /** Caller thread: a reference to the shared group, starting it if needed. */
    public static Lease acquire() {
        synchronized (LOCK) {
            if (group == null) {
                native_ = !"nio".equalsIgnoreCase(System.getProperty("qmp4j.transport")) && Epoll.isAvailable();
                IoHandlerFactory io = native_ ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
                int threads = Integer.getInteger("qmp4j.ioThreads",
                        Math.min(4, Runtime.getRuntime().availableProcessors()));
                group = new MultiThreadIoEventLoopGroup(threads, new IoThreads("qmp4j-io"), io);
            }
            references++;
            return new Lease(group, native_);
        }
    }

    private static void release(EventLoopGroup leased) {
        EventLoopGroup stopping = null;
        synchronized (LOCK) {
            if (leased == group && --references == 0) {
                stopping = group;
                group = null;
            }
        }
        if (stopping != null) {
            stopping.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            boolean onLoop = false;
            for (var loop : stopping) {
                onLoop |= ((io.netty.util.concurrent.EventExecutor) loop).inEventLoop();
            }
            if (!onLoop) {
                stopping.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
    }
}
