package io.qmp4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmp4j.QmpException;
import io.qmp4j.api.events.DeviceDeletedEvent;
import io.qmp4j.api.events.EventTypes;
import io.qmp4j.api.events.StopEvent;
import io.qmp4j.api.internal.ApiCodec;
import io.qmp4j.api.types.BlockdevAddArguments;
import io.qmp4j.api.types.BlockdevAddArgumentsBacking;
import io.qmp4j.api.types.CpusFastInfo;
import io.qmp4j.api.types.StatsInfoStatsValue;
import io.qmp4j.api.types.StatusInfo;
import io.qmp4j.api.types.StatusInfoStatus;
import io.qmp4j.message.QmpEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated types of QEMU 7.2's schema read and write the JSON QEMU uses. */
class GeneratedTypesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void recordsReadRepliesAndIgnoreMembersQemuAddsLater() throws Exception {
        StatusInfo s = ApiCodec.decode(json("{'status': 'paused', 'singlestep': false, 'running': false, 'new-in-9.0': 1}"),
                ApiCodec.type(StatusInfo.class));
        assertThat(s).isEqualTo(new StatusInfo(false, false, StatusInfoStatus.PAUSED));
    }

    @Test
    void enumValuesQemuAddsLaterReadAsUnknownWhichCannotBeSent() throws Exception {
        StatusInfo s = ApiCodec.decode(json("{'status': 'hibernating', 'singlestep': false, 'running': false}"),
                ApiCodec.type(StatusInfo.class));
        assertThat(s.status()).isEqualTo(StatusInfoStatus.UNKNOWN);
        assertThatThrownBy(StatusInfoStatus.UNKNOWN::value).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be sent");
        assertThat(ApiCodec.tree(StatusInfoStatus.UNKNOWN).isNull()).isTrue();
        assertThat(ApiCodec.tree(StatusInfoStatus.GUEST_PANICKED).asText()).isEqualTo("guest-panicked");
        assertThat(StatusInfoStatus.fromValue("running")).isEqualTo(StatusInfoStatus.RUNNING);
        assertThat(StatusInfoStatus.INTERNAL_ERROR.value()).isEqualTo("internal-error");
    }

    @Test
    void unionsReadTheCaseRecordOfTheirTagAndUnknownCasesAsUnknown() throws Exception {
        List<CpusFastInfo> cpus = ApiCodec.decode(json("[{'cpu-index': 0, 'qom-path': '/machine/unattached/device[0]',"
                + " 'thread-id': 42, 'props': {'core-id': 0, 'thread-id': 0, 'socket-id': 0}, 'target': 'x86_64'},"
                + " {'cpu-index': 1, 'qom-path': '/x', 'thread-id': 43, 'target': 'riscv128'}]"),
                ApiCodec.listOf(ApiCodec.type(CpusFastInfo.class)));
        assertThat(cpus.get(0)).isInstanceOf(CpusFastInfo.X8664.class);
        assertThat(cpus.get(0).threadId()).isEqualTo(42L);
        assertThat(cpus.get(0).props().coreId()).isEqualTo(0L);
        assertThat(cpus.get(1)).isInstanceOf(CpusFastInfo.Unknown.class);
        assertThat(cpus.get(1).cpuIndex()).isEqualTo(1L);
    }

    @Test
    void unionCaseBuildersPresetTheTagAndWriteOnlyWhatIsSet() {
        BlockdevAddArguments nullCo = BlockdevAddArguments.NullCo.builder().nodeName("null0").size(1_048_576L).build();
        assertThat(ApiCodec.tree(nullCo).toString())
                .isEqualTo("{\"driver\":\"null-co\",\"node-name\":\"null0\",\"size\":1048576}");
        assertThatThrownBy(() -> BlockdevAddArguments.File.builder().nodeName("f").build())
                .isInstanceOf(IllegalStateException.class).hasMessage("File: required member 'filename' is not set");
    }

    @Test
    void alternatesPickTheBranchByJsonTypeBothWays() throws Exception {
        BlockdevAddArguments qcow2 = ApiCodec.decode(json(
                "{'driver': 'qcow2', 'node-name': 'top', 'file': 'base-file', 'backing': null}"),
                ApiCodec.type(BlockdevAddArguments.class));
        assertThat(qcow2).isInstanceOf(BlockdevAddArguments.Qcow2.class);
        BlockdevAddArguments.Qcow2 q = (BlockdevAddArguments.Qcow2) qcow2;
        assertThat(q.backing()).isEqualTo(new BlockdevAddArgumentsBacking.OfNull());
        assertThat(ApiCodec.tree(q).toString()).isEqualTo(
                "{\"driver\":\"qcow2\",\"node-name\":\"top\",\"file\":\"base-file\",\"backing\":null}");
        StatsInfoStatsValue v = ApiCodec.decode(json("[1, 2]"), ApiCodec.type(StatsInfoStatsValue.class));
        assertThat(v).isEqualTo(new StatsInfoStatsValue.OfList(List.of(1L, 2L)));
        StatsInfoStatsValue b = ApiCodec.decode(json("true"), ApiCodec.type(StatsInfoStatsValue.class));
        assertThat(b).isEqualTo(new StatsInfoStatsValue.OfBoolean(true));
    }

    @Test
    void aReplyThatDoesNotFitFailsClearly() throws Exception {
        assertThatThrownBy(() -> ApiCodec.decode(json("{'status': ['x']}"), ApiCodec.type(StatusInfo.class)))
                .isInstanceOf(QmpException.class).hasMessageContaining("does not fit io.qmp4j.api.types.StatusInfo");
    }

    @Test
    void eventsReadAsTheirRecords() throws Exception {
        JsonNode line = json("{'event': 'DEVICE_DELETED', 'data': {'device': 'nic1', 'path': '/machine/peripheral/nic1'},"
                + " 'timestamp': {'seconds': 1, 'microseconds': 2}}");
        QmpEvent raw = new QmpEvent("DEVICE_DELETED", line.get("data"), 1, 2, line, line.toString());
        assertThat(TypedEvents.decode(raw)).contains(new DeviceDeletedEvent("nic1", "/machine/peripheral/nic1"));
        QmpEvent stop = new QmpEvent("STOP", com.fasterxml.jackson.databind.node.MissingNode.getInstance(), 1, 2, line, "");
        assertThat(TypedEvents.read(stop, StopEvent.class)).isEqualTo(new StopEvent());
        assertThat(TypedEvents.decode(new QmpEvent("FUTURE_EVENT", line, 1, 2, line, ""))).isEmpty();
        assertThatThrownBy(() -> TypedEvents.read(stop, DeviceDeletedEvent.class)).isInstanceOf(IllegalArgumentException.class);
        assertThat(EventTypes.nameOf(StopEvent.class)).isEqualTo(StopEvent.NAME).isEqualTo("STOP");
    }
}
