package io.qmp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmp4j.cli.ShellCompletion.Suggestion;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ShellCompletionTest {
    private final AtomicBoolean hmp = new AtomicBoolean();
    private final ShellCompletion completion = new ShellCompletion(SchemaFixture::hints, hmp::get);

    private List<String> complete(String line) {
        String[] parts = line.split(" ", -1);
        return completion.complete(List.of(parts).subList(0, parts.length - 1), parts[parts.length - 1])
                .stream().map(Suggestion::value).toList();
    }

    @Test
    void theFirstWordCompletesToCommandsAndBuiltIns() {
        assertThat(complete("query-")).containsExactly("query-commands", "query-status");
        assertThat(complete("/")).containsExactlyElementsOf(ShellCompletion.BUILTINS);
        assertThat(complete("/h")).containsExactly("/help", "/hmp");
        assertThat(complete("")).contains("/help", "blockdev-add", "stop");
    }

    @Test
    void argumentNamesEndInEqualsAndDoNotFinishTheWord() {
        List<Suggestion> s = completion.complete(List.of("human-monitor-command"), "");
        assertThat(s).containsExactly(new Suggestion("command-line=", "str", false),
                new Suggestion("cpu-index=", "int, optional", false));
    }

    @Test
    void argumentsAlreadyGivenAreNotOfferedAgain() {
        assertThat(complete("human-monitor-command command-line=x ")).containsExactly("cpu-index=");
    }

    @Test
    void objectArgumentsCompleteToADotAndThenTheirMembers() {
        assertThat(complete("blockdev-add driver=file ca")).containsExactly("cache.");
        assertThat(complete("blockdev-add ca")).containsExactlyInAnyOrder("cache.", "cache-size=", "cache-clean-interval=");
        assertThat(complete("blockdev-add cache.")).containsExactly("cache.direct=", "cache.no-flush=");
        assertThat(complete("blockdev-add cache.d")).containsExactly("cache.direct=");
    }

    @Test
    void aUnionTagTypedEarlierNarrowsTheArguments() {
        assertThat(complete("blockdev-add fil")).containsExactlyInAnyOrder("file=", "file.", "filename=");
        assertThat(complete("blockdev-add driver=file fil")).containsExactly("filename=");
        assertThat(complete("blockdev-add driver=qcow2 fil")).containsExactly("file=", "file.");
    }

    @Test
    void valuesCompleteAfterTheEqualsSign() {
        assertThat(complete("blockdev-add driver=qc")).containsExactly("driver=qcow", "driver=qcow2");
        assertThat(complete("blockdev-add cache.direct=")).containsExactly("cache.direct=true", "cache.direct=false");
        assertThat(completion.complete(List.of("blockdev-add"), "driver=raw"))
                .contains(new Suggestion("driver=raw", null, true));
        assertThat(complete("human-monitor-command command-line=")).isEmpty();
    }

    @Test
    void builtInsCompleteTheirArguments() {
        assertThat(complete("/help query-s")).containsExactly("query-status");
        assertThat(complete("/help DEV")).containsExactly("DEVICE_DELETED");
        assertThat(complete("/events ")).containsExactly("on", "off", "filter");
        assertThat(complete("/events filter STOP ")).containsExactly("BLOCK_JOB_COMPLETED", "DEVICE_DELETED");
        assertThat(complete("/quit ")).isEmpty();
    }

    @Test
    void hmpModeAndRawJsonCompleteNoQmpNames() {
        hmp.set(true);
        assertThat(complete("")).containsExactlyElementsOf(ShellCompletion.BUILTINS);
        assertThat(complete("info ")).isEmpty();
        hmp.set(false);
        assertThat(complete("{\"execute\": ")).isEmpty();
    }

    @Test
    void withoutTheSchemaOnlyBuiltInsComplete() {
        ShellCompletion loading = new ShellCompletion(() -> null, () -> false);
        assertThat(loading.complete(List.of(), "")).extracting(Suggestion::value)
                .containsExactlyElementsOf(ShellCompletion.BUILTINS);
        assertThat(loading.complete(List.of("blockdev-add"), "")).isEmpty();
    }
}
