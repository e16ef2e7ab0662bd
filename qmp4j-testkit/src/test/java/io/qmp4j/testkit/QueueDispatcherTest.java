package io.qmp4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Which queued reply a command takes. */
class QueueDispatcherTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void takesTheOldestFittingReply() throws Exception {
        QueueDispatcher queue = new QueueDispatcher();
        ScriptedReply boundToStop = ScriptedReply.builder().forCommand("stop").build();
        ScriptedReply first = ScriptedReply.ofReturnJson("1");
        ScriptedReply second = ScriptedReply.ofReturnJson("2");
        queue.enqueue(boundToStop);
        queue.enqueue(first);
        queue.enqueue(second);

        assertThat(queue.dispatch(command("qmp_capabilities"))).isNull();
        assertThat(queue.dispatch(command("query-status"))).isSameAs(first);
        assertThat(queue.dispatch(command("stop"))).isSameAs(boundToStop);
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.dispatch(command("stop"))).isSameAs(second);
        assertThat(queue.dispatch(command("stop"))).isNull();
    }

    private static RecordedCommand command(String name) throws Exception {
        String raw = "{\"execute\":\"" + name + "\"}";
        return new RecordedCommand(JSON.readTree(raw), raw, 0, 0);
    }
}
