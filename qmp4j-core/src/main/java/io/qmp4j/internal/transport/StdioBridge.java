package io.qmp4j.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.qmp4j.QmpConnectException;
import io.netty.channel.ChannelHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * QMP over the stdin/stdout pipes of a QEMU child started with {@code -qmp stdio}. Pipes cannot
 * join an epoll loop from Java, so the session runs on one end of an in-memory Netty channel
 * pair, on a small loop of its own ({@code qmp4j-stdio-io}); the other end writes to QEMU's
 * stdin, and a reader thread ({@code qmp4j-stdio-read}) feeds it QEMU's stdout.
 *
 * <p>Closing closes QEMU's stdin and the loop. The reader thread ends when QEMU closes its stdout,
 * which it does when it exits; a QEMU that keeps running after the connection closed keeps that
 * one daemon thread blocked in {@code read} until then.
 */
final class StdioBridge implements AutoCloseable {
    private static final AtomicLong NUMBERS = new AtomicLong();
    private final EventLoopGroup group;
    private final Channel server;

    private StdioBridge(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    /** Caller thread: bridges {@code process}'s streams to a channel that carries {@code session}. */
    static Transports.Link connect(Process process, int maxMessageBytes, ChannelHandler session) {
        if (!process.isAlive()) {
            throw new QmpConnectException("cannot talk QMP over the stdio of process " + process.pid()
                    + ": it has exited with status " + process.exitValue(), null);
        }
        long n = NUMBERS.incrementAndGet();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new IoThreads("qmp4j-stdio-io"),
                LocalIoHandler.newFactory());
        LocalAddress address = new LocalAddress("qmp4j-stdio-" + process.pid() + "-" + n);
        Channel server = null;
        try {
            server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                    .childHandler(new ChannelInitializer<LocalChannel>() {
                        @Override
                        protected void initChannel(LocalChannel ch) {
                            ch.pipeline().addLast(new ProcessEnd(process));
                        }
                    }).bind(address).syncUninterruptibly().channel();
            Channel near = new Bootstrap().group(group).channel(LocalChannel.class)
                    .handler(new ChannelInitializer<LocalChannel>() {
                        @Override
                        protected void initChannel(LocalChannel ch) {
                            Transports.install(ch.pipeline(), maxMessageBytes, session);
                        }
                    }).connect(address).syncUninterruptibly().channel();
            return new Transports.Link(near, new StdioBridge(group, server));
        } catch (RuntimeException e) {
            if (server != null) {
                server.close().awaitUninterruptibly(1000);
            }
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(5000);
            throw new QmpConnectException("cannot set up QMP over the stdio of process " + process.pid() + ": "
                    + Transports.describe(e), e);
        }
    }

    /** Caller thread: stops the bridge's loop (the channels are closed by then). */
    @Override
    public void close() {
        server.close().awaitUninterruptibly(1000);
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(5000);
    }

    /** The far end of the pair: bytes from the session go to stdin; stdout comes back through it. */
    private static final class ProcessEnd extends ChannelInboundHandlerAdapter {
        private final Process process;
        private final OutputStream stdin;

        ProcessEnd(Process process) {
            this.process = process;
            this.stdin = process.getOutputStream();
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel ch = ctx.channel();
            Thread reader = new Thread(() -> pumpStdout(process.getInputStream(), ch),
                    "qmp4j-stdio-read-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        /** Reader thread: copies QEMU's stdout into the channel until EOF, then closes it. */
        private static void pumpStdout(InputStream stdout, Channel ch) {
            byte[] buffer = new byte[16384];
            try {
                int n;
                while ((n = stdout.read(buffer)) > 0 && ch.isActive()) {
                    ch.writeAndFlush(Unpooled.copiedBuffer(buffer, 0, n));
                }
            } catch (IOException e) {
                // QEMU went away or the stream was closed: the channel closes below
            } finally {
                ch.close();
            }
        }

        /** Bridge loop: a request from the session, written to QEMU's stdin. */
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                buf.readBytes(stdin, buf.readableBytes());
                stdin.flush();
            } catch (IOException e) {
                ctx.close();
            } finally {
                buf.release();
            }
        }

        /** Bridge loop: the session side closed, or QEMU's stdout ended: close QEMU's stdin. */
        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // already closed by QEMU's exit
            }
        }
    }
}
