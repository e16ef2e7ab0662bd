package io.qmp4j.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.unix.DomainSocketAddress;
import io.qmp4j.QmpConnectException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.internal.client.Session;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

/** Opens a QMP channel on a UNIX domain socket: framing decoder, then the session. */
public final class UnixSocketTransport {
    private UnixSocketTransport() {
    }

    /**
     * Caller thread: connects to {@code path} within {@code timeout} and installs the pipeline.
     *
     * @throws QmpConnectException when the socket cannot be opened
     * @throws QmpTimeoutException when connecting takes longer than {@code timeout}
     */
    public static Channel connect(EventLoops.Lease lease, Path path, Duration timeout, int maxMessageBytes,
            Session session) {
        SocketAddress address = lease.isNative()
                ? new DomainSocketAddress(path.toString())
                : UnixDomainSocketAddress.of(path);
        Bootstrap bootstrap = new Bootstrap()
                .group(lease.group())
                .channel(lease.domainSocketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("framing", new QmpFrameDecoder(maxMessageBytes));
                        ch.pipeline().addLast("session", session);
                    }
                });
        ChannelFuture future = bootstrap.connect(address);
        if (!future.awaitUninterruptibly(timeout.toMillis() + 100)) {
            future.cancel(false);
            future.channel().close().awaitUninterruptibly(1000);
            throw new QmpTimeoutException("connecting to " + path + " took longer than " + timeout.toMillis()
                    + " ms", timeout);
        }
        if (!future.isSuccess()) {
            Throwable cause = future.cause();
            future.channel().close().awaitUninterruptibly(1000);
            throw new QmpConnectException("cannot connect to QMP socket " + path + ": " + describe(cause), cause);
        }
        return future.channel();
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

    private static String describe(Throwable cause) {
        String m = cause.getMessage();
        return m == null ? cause.getClass().getSimpleName() : m;
    }
}
