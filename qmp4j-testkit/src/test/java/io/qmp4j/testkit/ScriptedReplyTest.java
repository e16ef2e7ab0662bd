package io.qmp4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The reply value and its builder. */
class ScriptedReplyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void defaultsToAnEmptyReturnWithNothingElse() {
        ScriptedReply reply = ScriptedReply.builder().build();
        assertThat(reply.returnValue()).isEqualTo(JSON.createObjectNode());
        assertThat(reply.errorClass()).isNull();
        assertThat(reply.command()).isNull();
        assertThat(reply.eventsBefore()).isEmpty();
        assertThat(reply.eventsAfter()).isEmpty();
        assertThat(reply.delay()).isZero();
        assertThat(reply.fault()).isNull();
        assertThat(reply.closeAfterReply()).isFalse();
    }

    @Test
    void errorAndReturnReplaceEachOther() {
        ScriptedReply error = ScriptedReply.builder().returnsJson("1").error("GenericError", "x").build();
        assertThat(error.returnValue()).isNull();
        assertThat(error.errorClass()).isEqualTo("GenericError");
        assertThat(error.errorDescription()).isEqualTo("x");
        ScriptedReply success = ScriptedReply.builder().error("GenericError", "x").returnsJson("1").build();
        assertThat(success.errorClass()).isNull();
        assertThat(success.returnValue().asInt()).isEqualTo(1);
    }

    @Test
    void isImmutableAgainstChangesToTheNodesGivenOrReturned() {
        ObjectNode value = JSON.createObjectNode().put("a", 1);
        ObjectNode data = JSON.createObjectNode().put("b", 2);
        ScriptedReply reply = ScriptedReply.builder().returns(value).eventBefore("E", data).build();
        value.put("a", 9);
        data.put("b", 9);
        ((ObjectNode) reply.returnValue()).put("a", 8);
        ((ObjectNode) reply.eventsBefore().get(0).data()).put("b", 8);
        assertThat(reply.returnValue().get("a").asInt()).isEqualTo(1);
        assertThat(reply.eventsBefore().get(0).data().get("b").asInt()).isEqualTo(2);
        assertThatThrownBy(() -> reply.eventsBefore().add(new ScriptedEvent("F", null)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsInvalidInputWithReadableMessages() {
        assertThatThrownBy(() -> ScriptedReply.ofReturnJson("{oops"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{oops");
        assertThatThrownBy(() -> ScriptedReply.builder().delay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> ScriptedReply.ofFault(Fault.NO_GREETING))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringNamesTheImportantParts() {
        assertThat(ScriptedReply.builder().forCommand("stop").error("E", "d").fault(Fault.DUPLICATE_REPLY).build())
                .hasToString("ScriptedReply{command=stop, error=E: d, fault=DUPLICATE_REPLY}");
    }
}
