package io.qmp4j.testkit.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SIGSTOP/SIGCONT and /proc state, on a {@code sleep} process instead of QEMU. */
class SignalsTest {

    @Test
    void stopAndContinueChangeTheProcessState() throws IOException, InterruptedException {
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            Signals.send(sleep.pid(), "STOP");
            Signals.awaitStopped(sleep.pid(), true);
            assertThat(Signals.state(sleep.pid())).isEqualTo('T');

            Signals.send(sleep.pid(), "CONT");
            Signals.awaitStopped(sleep.pid(), false);
            assertThat(Signals.state(sleep.pid())).isIn('S', 'R');
        } finally {
            sleep.destroyForcibly();
            assertThat(sleep.waitFor(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void stateOfAMissingProcessIsUnknown() {
        assertThat(Signals.state(Long.MAX_VALUE)).isEqualTo('?');
        assertThat(Signals.state(ProcessHandle.current().pid())).isNotEqualTo('?');
    }

    @Test
    void signallingAMissingProcessFailsWithTheKillOutput() {
        assertThatThrownBy(() -> Signals.send(Integer.MAX_VALUE, "CONT"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("failed with exit code");
    }
}
