package io.qmp4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class QmpAddressTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/run/vm1.qmp            | unix:/run/vm1.qmp",
        "relative/vm.sock        | unix:relative/vm.sock",
        "unix:/run/vm1.qmp       | unix:/run/vm1.qmp",
        "tcp:127.0.0.1:4444      | tcp:127.0.0.1:4444",
        "tcp:localhost:1         | tcp:localhost:1",
        "tcp:[::1]:4444          | tcp:[::1]:4444",
        "tcp:[fe80::1%lo]:65535  | tcp:[fe80::1%lo]:65535",
        "C:odd-but-a-path        | unix:C:odd-but-a-path",
    })
    void parsesEveryForm(String text, String canonical) {
        assertThat(QmpAddress.parse(text)).hasToString(canonical);
    }

    @Test
    void parsedPartsAreTyped() {
        assertThat(QmpAddress.parse("tcp:[::1]:4444")).isEqualTo(QmpAddress.tcp("::1", 4444));
        assertThat(QmpAddress.parse("unix:/a/b")).isEqualTo(QmpAddress.unix(Path.of("/a/b")));
        assertThat(QmpAddress.parse("/a/b")).isEqualTo(QmpAddress.unix(Path.of("/a/b")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tcp:host                | expected HOST:PORT",
        "tcp::4444               | expected HOST:PORT",
        "tcp:host:http           | port 'http' is not a number",
        "tcp:host:70000          | between 0 and 65535",
        "tcp:::1:4444            | brackets",
        "tcp:[::1]4444           | [ADDRESS]:PORT",
        "tcp:[::1                | [ADDRESS]:PORT",
        "unix:                   | needs a path",
        "vsock:3:4444            | unknown address scheme 'vsock'",
    })
    void rejectsBadAddressesSayingWhy(String text, String why) {
        assertThatThrownBy(() -> QmpAddress.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why).hasMessageContaining(text);
    }

    @Test
    void rejectsBlank() {
        assertThatThrownBy(() -> QmpAddress.parse(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void tlsOverStdioIsRefusedAtBuildTime() {
        Process fake = ProcessHandleStub.process();
        assertThatThrownBy(() -> QmpConnection.builder(QmpAddress.stdio(fake)).tls(QmpTlsOptions.defaults()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stdio");
    }

    @Test
    void tcpPortZeroCannotBeConnectedTo() {
        QmpConnection qmp = QmpConnection.builder(QmpAddress.tcp("127.0.0.1", 0)).build();
        assertThatThrownBy(qmp::connect).isInstanceOf(QmpConnectException.class).hasMessageContaining("only for listening");
        assertThat(qmp.state()).isEqualTo(ConnectionState.IDLE);
    }

    /** A process object for build-time checks; never started. */
    private static final class ProcessHandleStub {
        static Process process() {
            return new Process() {
                @Override
                public java.io.OutputStream getOutputStream() {
                    return java.io.OutputStream.nullOutputStream();
                }

                @Override
                public java.io.InputStream getInputStream() {
                    return java.io.InputStream.nullInputStream();
                }

                @Override
                public java.io.InputStream getErrorStream() {
                    return java.io.InputStream.nullInputStream();
                }

                @Override
                public int waitFor() {
                    return 0;
                }

                @Override
                public int exitValue() {
                    return 0;
                }

                @Override
                public void destroy() {
                }
            };
        }
    }
}
