package io.qmp4j;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a QMP monitor is reached: a UNIX socket, a TCP port (optionally with TLS, configured on
 * the builder with {@link QmpConnectionBuilder#tls}), or the standard input and output of a QEMU
 * child process started with {@code -qmp stdio}.
 *
 * <p>{@link #parse(String)} reads the forms the command line accepts: {@code PATH},
 * {@code unix:PATH}, {@code tcp:HOST:PORT} and {@code tcp:[IPV6]:PORT}.
 */
public sealed interface QmpAddress permits QmpAddress.Unix, QmpAddress.Tcp, QmpAddress.Stdio {

    /** A UNIX domain socket, as QEMU's {@code -qmp unix:PATH,server=on}. */
    static Unix unix(Path path) {
        return new Unix(path);
    }

    /** A TCP endpoint, as QEMU's {@code -chardev socket,host=HOST,port=PORT,server=on}. */
    static Tcp tcp(String host, int port) {
        return new Tcp(host, port);
    }

    /**
     * The stdin/stdout of a QEMU child started with {@code -qmp stdio}. The process must not
     * have its standard streams redirected elsewhere; the connection owns them from now on.
     */
    static Stdio stdio(Process process) {
        return new Stdio(process);
    }

    /**
     * Parses {@code PATH}, {@code unix:PATH}, {@code tcp:HOST:PORT} or {@code tcp:[IPV6]:PORT}.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code text}
     */
    static QmpAddress parse(String text) {
        Objects.requireNonNull(text, "address");
        if (text.isBlank()) {
            throw new IllegalArgumentException("empty QMP address");
        }
        if (text.startsWith("unix:")) {
            String path = text.substring(5);
            if (path.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "': unix: needs a path, e.g. unix:/run/vm1.qmp");
            }
            return unix(Path.of(path));
        }
        if (text.startsWith("tcp:")) {
            return parseHostPort(text, text.substring(4));
        }
        int colon = text.indexOf(':');
        if (colon > 0 && !text.substring(0, colon).contains("/") && text.substring(0, colon).matches("[a-z]+")) {
            throw new IllegalArgumentException("'" + text + "': unknown address scheme '" + text.substring(0, colon)
                    + "' (use PATH, unix:PATH, tcp:HOST:PORT or tcp:[IPV6]:PORT)");
        }
        return unix(Path.of(text));
    }

    /** Parses {@code HOST:PORT} or {@code [IPV6]:PORT}; {@code whole} is only quoted in errors. */
    private static Tcp parseHostPort(String whole, String hostPort) {
        String host;
        String port;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0 || close + 1 >= hostPort.length() || hostPort.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + whole + "': an IPv6 address is written [ADDRESS]:PORT");
            }
            host = hostPort.substring(1, close);
            port = hostPort.substring(close + 2);
        } else {
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("'" + whole + "': expected HOST:PORT");
            }
            host = hostPort.substring(0, colon);
            if (host.contains(":")) {
                throw new IllegalArgumentException("'" + whole + "': write an IPv6 address in brackets, e.g. [::1]:4444");
            }
            port = hostPort.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + whole + "': port '" + port + "' is not a number");
        }
        try {
            return new Tcp(host, p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + whole + "': " + e.getMessage(), e);
        }
    }

    /** A UNIX domain socket path. */
    record Unix(Path path) implements QmpAddress {
        /** Checks the path is given. */
        public Unix {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    /**
     * A TCP host (name, IPv4 or IPv6 literal without brackets) and port; port 0 is only for
     * {@link io.qmp4j.QmpListener#bind listening} on a port the system picks.
     */
    record Tcp(String host, int port) implements QmpAddress {
        /** Checks the host is not empty and the port is between 0 and 65535. */
        public Tcp {
            Objects.requireNonNull(host, "host");
            if (host.isEmpty()) {
                throw new IllegalArgumentException("TCP host is empty");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("TCP port must be between 0 and 65535, got " + port);
            }
        }

        @Override
        public String toString() {
            return "tcp:" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** The standard streams of a QEMU child process started with {@code -qmp stdio}. */
    record Stdio(Process process) implements QmpAddress {
        /** Checks the process is given. */
        public Stdio {
            Objects.requireNonNull(process, "process");
        }

        @Override
        public String toString() {
            return "stdio:pid " + process.pid();
        }
    }
}
