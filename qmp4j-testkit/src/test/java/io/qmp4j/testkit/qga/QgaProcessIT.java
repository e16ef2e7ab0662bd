package io.qmp4j.testkit.qga;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmp4j.testkit.junit.RequiresQemuGa;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The launcher against the real qemu-ga, spoken to with a plain JDK socket (not the client). */
@RequiresQemuGa
class QgaProcessIT {
    private static String exchange(Path socket, String request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            ByteBuffer buf = ByteBuffer.allocate(4096);
            StringBuilder line = new StringBuilder();
            while (line.indexOf("\n") < 0 && ch.read(buf) >= 0) {
                buf.flip();
                line.append(StandardCharsets.UTF_8.decode(buf));
                buf.clear();
            }
            return line.toString().strip();
        }
    }

    @Test
    void startsAnAgentThatAnswersAndBlocksWhatWouldActOnTheHost() throws IOException {
        Path dir;
        try (QgaProcess agent = QgaProcess.start()) {
            dir = agent.directory();
            assertThat(agent.isAlive()).isTrue();
            assertThat(agent.socketPath()).isEqualTo(dir.resolve("qga.sock"));
            assertThat(exchange(agent.socketPath(), "{\"execute\":\"guest-ping\"}")).isEqualTo("{\"return\": {}}");
            assertThat(exchange(agent.socketPath(), "{\"execute\":\"guest-shutdown\"}"))
                    .contains("CommandNotFound").contains("guest-shutdown has been disabled");
            assertThat(agent.commandLine()).contains("unix-listen");
        }
        assertThat(Files.exists(dir)).as("directory removed by close()").isFalse();
    }

    @Test
    void runsTheAgentWithoutRootRightsByDefault() throws IOException {
        try (QgaProcess agent = QgaProcess.start()) {
            assertThat(agent.isUnprivileged()).isTrue();
            String status = Files.readString(Path.of("/proc/" + agent.pid() + "/status"));
            assertThat(status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow())
                    .doesNotContain("\t0\t");
        }
    }

    @Test
    void killEndsTheProcess() {
        try (QgaProcess agent = QgaProcess.start()) {
            agent.kill();
            assertThat(agent.isAlive()).isFalse();
        }
    }
}
