package io.qmp4j.testkit.tls;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI made at test time, so no private key is ever checked in: a CA, server and
 * client certificates (RSA 2048, SHA-256, valid from an hour ago for two days) with the
 * extensions QEMU's {@code tls-creds-x509} checks, written as PEM under the file names QEMU
 * expects ({@code ca-cert.pem}, {@code server-cert.pem}, {@code server-key.pem}); keys are
 * unencrypted PKCS#8, which both GnuTLS and the JDK read.
 *
 * <pre>{@code
 * TestPki.Issued ca = TestPki.ca("test CA");
 * Path dir = TestPki.writeServerDir(tmp.resolve("tls"), ca,
 *         TestPki.server(ca, List.of("localhost"), List.of("127.0.0.1")));
 * // QEMU: -object tls-creds-x509,id=t0,dir=DIR,endpoint=server,verify-peer=off
 * Path caPem = TestPki.writeCertificate(tmp.resolve("ca.pem"), ca);
 * }</pre>
 *
 * <p>Needs Bouncy Castle's {@code org.bouncycastle:bcpkix-jdk18on} on the test class path (an
 * optional dependency of the test kit). Thread-safe.
 */
public final class TestPki {
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    /** A certificate and its key. */
    public record Issued(X509Certificate certificate, PrivateKey key) {
    }

    private TestPki() {
    }

    /** A self-signed CA certificate named {@code commonName}. */
    public static Issued ca(String commonName) {
        KeyPair pair = newKeyPair();
        X500Name name = new X500Name("CN=" + commonName);
        return sign(name, pair, name, pair.getPrivate(), true, null, List.of(), List.of(), validNow());
    }

    /** A server certificate signed by {@code ca} for these DNS names and IP addresses (at least one of either). */
    public static Issued server(Issued ca, List<String> dnsNames, List<String> ipAddresses) {
        KeyPair pair = newKeyPair();
        return sign(new X500Name("CN=" + (dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0))), pair,
                issuerName(ca), ca.key(), false, KeyPurposeId.id_kp_serverAuth, dnsNames, ipAddresses, validNow());
    }

    /** A client certificate signed by {@code ca}, for QEMU's {@code verify-peer=on}. */
    public static Issued client(Issued ca, String commonName) {
        KeyPair pair = newKeyPair();
        return sign(new X500Name("CN=" + commonName), pair, issuerName(ca), ca.key(), false,
                KeyPurposeId.id_kp_clientAuth, List.of(), List.of(), validNow());
    }

    /** Writes QEMU's server directory: {@code ca-cert.pem}, {@code server-cert.pem}, {@code server-key.pem}. */
    public static Path writeServerDir(Path dir, Issued ca, Issued server) throws IOException {
        Files.createDirectories(dir);
        writeCertificate(dir.resolve("ca-cert.pem"), ca);
        writeCertificate(dir.resolve("server-cert.pem"), server);
        writeKey(dir.resolve("server-key.pem"), server);
        return dir;
    }

    /** Writes {@code issued}'s certificate as PEM to {@code file}. */
    public static Path writeCertificate(Path file, Issued issued) throws IOException {
        try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(issued.certificate());
        }
        return file;
    }

    /** PKCS#8 ("BEGIN PRIVATE KEY"), readable by both GnuTLS and the JDK. */
    public static Path writeKey(Path file, Issued issued) throws IOException {
        try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new JcaPKCS8Generator(issued.key(), null));
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IOException(e);
        }
        return file;
    }

    private static X500Name issuerName(Issued ca) {
        return X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
    }

    private static Date[] validNow() {
        Instant now = Instant.now();
        return new Date[] {Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2)))};
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048, new SecureRandom());
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Issued sign(X500Name subject, KeyPair pair, X500Name issuer, PrivateKey issuerKey, boolean isCa,
            KeyPurposeId purpose, List<String> dnsNames, List<String> ips, Date[] validity) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIALS.incrementAndGet()), validity[0], validity[1], subject, pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(isCa
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            if (purpose != null) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            }
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
            ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
            if (!names.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
            return new Issued(cert, pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
