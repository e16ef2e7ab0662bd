package io.qmp4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS settings for a monitor served by QEMU's {@code tls-creds-x509} ({@code endpoint=server}).
 * Immutable; build with {@link #builder()}.
 *
 * <p>Secure by default: the server certificate must chain to the given CA (or, without one, to
 * the JDK's default trust store) and must name the host connected to (or
 * {@link Builder#serverName}). Trusting any certificate takes the explicit
 * {@link Builder#insecureTrustAnyCertificate()}. QEMU requires a client certificate unless its
 * credentials say {@code verify-peer=off}; give one with {@link Builder#clientCertificate}.
 * Certificates and keys are PEM files, keys unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}), as
 * {@code certtool} and {@code openssl genpkey} write them.
 */
public final class QmpTlsOptions {
    private final Path trustedCertificates;
    private final Path clientCertificate;
    private final Path clientKey;
    private final String serverName;
    private final boolean verifyHostname;
    private final boolean trustAny;

    private QmpTlsOptions(Builder b) {
        this.trustedCertificates = b.trustedCertificates;
        this.clientCertificate = b.clientCertificate;
        this.clientKey = b.clientKey;
        this.serverName = b.serverName;
        this.verifyHostname = b.verifyHostname;
        this.trustAny = b.trustAny;
    }

    /** A builder with the secure defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** TLS with the JDK's trust store and host name checking: only for monitors with public certificates. */
    public static QmpTlsOptions defaults() {
        return builder().build();
    }

    /** The PEM file of CA certificates trusted for the server certificate; empty means the JDK's trust store. */
    public Optional<Path> trustedCertificates() {
        return Optional.ofNullable(trustedCertificates);
    }

    /** The PEM client certificate chain presented to QEMU, if any. */
    public Optional<Path> clientCertificate() {
        return Optional.ofNullable(clientCertificate);
    }

    /** The PEM (PKCS#8) private key of the client certificate, if any. */
    public Optional<Path> clientKey() {
        return Optional.ofNullable(clientKey);
    }

    /** The name the server certificate must carry (and the SNI name sent); empty means the host connected to. */
    public Optional<String> serverName() {
        return Optional.ofNullable(serverName);
    }

    /** Whether the server certificate must name the server (default true). */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    /** Whether any server certificate is accepted (default false; insecure). */
    public boolean trustAnyCertificate() {
        return trustAny;
    }

    @Override
    public String toString() {
        return "QmpTlsOptions[ca=" + trustedCertificates + ", clientCert=" + clientCertificate + ", serverName="
                + serverName + ", verifyHostname=" + verifyHostname + (trustAny ? ", INSECURE trust-any" : "") + "]";
    }

    /** Builds {@link QmpTlsOptions}; not thread-safe. */
    public static final class Builder {
        private Path trustedCertificates;
        private Path clientCertificate;
        private Path clientKey;
        private String serverName;
        private boolean verifyHostname = true;
        private boolean trustAny;

        private Builder() {
        }

        /** Trusts the CA certificates in this PEM file (QEMU's {@code ca-cert.pem}). Default: the JDK's trust store. */
        public Builder trustedCertificates(Path caPem) {
            this.trustedCertificates = readable(caPem, "CA certificate file");
            return this;
        }

        /** Presents this PEM certificate chain and PKCS#8 PEM key to QEMU. Default: none. */
        public Builder clientCertificate(Path certificatePem, Path privateKeyPem) {
            this.clientCertificate = readable(certificatePem, "client certificate file");
            this.clientKey = readable(privateKeyPem, "client key file");
            return this;
        }

        /** Checks the server certificate against {@code name} instead of the host connected to. */
        public Builder serverName(String name) {
            Objects.requireNonNull(name, "serverName");
            if (name.isBlank()) {
                throw new IllegalArgumentException("serverName is blank");
            }
            this.serverName = name;
            return this;
        }

        /** Whether the server certificate must name the server. Default true. */
        public Builder verifyHostname(boolean verify) {
            this.verifyHostname = verify;
            return this;
        }

        /** Accepts any server certificate: encryption without authentication. Insecure; tests only. */
        public Builder insecureTrustAnyCertificate() {
            this.trustAny = true;
            return this;
        }

        /** The options; checks that a CA file and trust-any are not both given. */
        public QmpTlsOptions build() {
            if (trustAny && trustedCertificates != null) {
                throw new IllegalArgumentException("give either trustedCertificates or insecureTrustAnyCertificate, not both");
            }
            return new QmpTlsOptions(this);
        }

        private static Path readable(Path p, String what) {
            Objects.requireNonNull(p, what);
            if (!Files.isReadable(p)) {
                throw new IllegalArgumentException(what + " " + p + " does not exist or is not readable");
            }
            return p;
        }
    }
}
