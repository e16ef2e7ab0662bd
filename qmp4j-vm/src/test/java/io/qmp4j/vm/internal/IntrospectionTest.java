package io.qmp4j.vm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class IntrospectionTest {
    @Test
    void readsEachCommandsArgumentsFromItsMaskedArgType() throws Exception {
        var schema = new ObjectMapper().readTree("""
                [{"name":"screendump","ret-type":"17","meta-type":"command","arg-type":"392"},
                 {"name":"query-status","ret-type":"90","meta-type":"command","arg-type":"0"},
                 {"name":"0","members":[],"meta-type":"object"},
                 {"name":"392","members":[{"name":"filename","type":"str"},{"name":"device","default":null,
                   "type":"str"},{"name":"format","default":null,"type":"393"}],"meta-type":"object"},
                 {"name":"STOP","meta-type":"event","arg-type":"0"}]""");
        var args = Introspection.commandArguments(schema);
        assertThat(args.get("screendump")).containsExactlyInAnyOrder("filename", "device", "format");
        assertThat(args.get("query-status")).isEmpty();
        assertThat(args).doesNotContainKey("STOP");
    }
}
