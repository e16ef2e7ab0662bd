package io.qmp4j.internal.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.Future;
import io.qmp4j.QmpAddress;
import io.qmp4j.QmpConnectException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.QmpTlsOptions;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Turns {@link QmpTlsOptions} into a Netty client {@link SslHandler} (JDK provider) and explains
 * handshake failures in QMP terms. Caller threads.
 */
final class TlsSetup {
    private final SslContext context;
    private final String peerHost;
    private final int peerPort;

    private TlsSetup(SslContext context, String peerHost, int peerPort) {
        this.context = context;
        this.peerHost = peerHost;
        this.peerPort = peerPort;
    }

    static TlsSetup create(QmpTlsOptions tls, QmpAddress address) {
        String host = address instanceof QmpAddress.Tcp tcp ? tcp.host() : "localhost";
        int port = address instanceof QmpAddress.Tcp tcp ? tcp.port() : -1;
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
        if (tls.trustAnyCertificate()) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else {
            tls.trustedCertificates().ifPresent(ca -> b.trustManager(ca.toFile()));
        }
        if (tls.clientCertificate().isPresent()) {
            b.keyManager(tls.clientCertificate().get().toFile(), tls.clientKey().orElseThrow().toFile());
        }
        b.endpointIdentificationAlgorithm(tls.verifyHostname() && !tls.trustAnyCertificate() ? "HTTPS" : null);
        try {
            return new TlsSetup(b.build(), tls.serverName().orElse(host), port);
        } catch (SSLException | IllegalArgumentException e) {
            throw new QmpConnectException("cannot set up TLS for " + address + " (" + tls + "): "
                    + Transports.describe(e), e);
        }
    }

    /**
     * A handler that sends every plaintext byte in a TLS record of its own. QEMU 7.2's monitor
     * reads one byte per call and polls only the socket, so the rest of a multi-byte record would
     * sit decrypted inside GnuTLS until more bytes arrive on the socket: a request would stall
     * until the next request (observed: {@code qmp_capabilities} never answered). With one byte
     * per record nothing is left behind; QEMU does one read per byte either way.
     */
    SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler handler = peerPort > 0 ? context.newHandler(alloc, peerHost, peerPort) : context.newHandler(alloc);
        handler.setWrapDataSize(1);
        return handler;
    }

    /** Caller thread: waits for the handshake, turning its failure into a clear connect error. */
    static void awaitHandshake(SslHandler handler, QmpAddress address, long millis, Duration timeout) {
        Future<?> done = handler.handshakeFuture();
        if (!done.awaitUninterruptibly(millis)) {
            handler.closeOutbound();
            throw new QmpTimeoutException("TLS handshake with " + address + " took longer than "
                    + timeout.toMillis() + " ms (is it a TLS monitor?)", timeout);
        }
        if (!done.isSuccess()) {
            Throwable cause = done.cause();
            throw new QmpConnectException("TLS handshake with " + address + " failed: " + explain(cause), cause);
        }
    }

    private static String explain(Throwable cause) {
        String text = Transports.describe(cause);
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof CertificateExpiredException) {
                return "the server certificate has expired (" + text + ")";
            }
            if (c instanceof CertificateNotYetValidException) {
                return "the server certificate is not valid yet (" + text + ")";
            }
        }
        if (text.contains("PKIX path") || text.contains("unable to find valid certification path")) {
            return "the server certificate is not signed by a trusted CA (" + text + ")";
        }
        if (text.contains("No subject alternative") || text.contains("No name matching")) {
            return "the server certificate does not name this host; check the host or set serverName (" + text + ")";
        }
        if (cause instanceof SSLHandshakeException && (text.contains("bad_certificate")
                || text.contains("certificate_required") || text.contains("handshake_failure"))) {
            return "QEMU rejected the handshake; does it require a client certificate (verify-peer=on)? (" + text + ")";
        }
        return text;
    }
}
