package io.qmp4j.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpConnection;
import io.qmp4j.testkit.junit.RequiresQemu;
import io.qmp4j.testkit.qemu.QemuProcess;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every generated {@code query-*} method without arguments, run against a real QEMU: each reply
 * is read into its generated types, or QEMU refuses the command on this machine; none fails to fit.
 */
@RequiresQemu
class QueryCommandsIT {
    @Test
    void everyArgumentlessQueryReadsIntoItsGeneratedTypes() throws Exception {
        List<Method> queries = new ArrayList<>();
        for (Method m : QemuApi.class.getMethods()) {
            if (m.getName().startsWith("query") && !m.getName().endsWith("Async") && m.getParameterCount() == 0) {
                queries.add(m);
            }
        }
        queries.sort(Comparator.comparing(Method::getName));
        assertThat(queries).hasSizeGreaterThan(40);
        List<String> decoded = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        try (QemuProcess qemu = QemuProcess.builder().machine("pc").memoryMiB(64).startPaused(true).start();
                QmpConnection qmp = QmpConnection.builder(qemu.qmpSocket()).build()) {
            qmp.connect();
            QemuApi api = QemuApi.of(qmp);
            for (Method m : queries) {
                try {
                    m.invoke(api);
                    decoded.add(m.getName());
                } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof QmpCommandException) {
                        refused.add(m.getName());
                    } else {
                        broken.add(m.getName() + ": " + e.getCause());
                    }
                }
            }
        }
        System.out.printf("typed queries on QEMU (-machine pc -S): %d read, %d refused by QEMU %s%n",
                decoded.size(), refused.size(), refused);
        assertThat(broken).isEmpty();
        assertThat(decoded).contains("queryStatus", "queryVersion", "queryCpusFast", "queryBlock", "queryPci",
                "queryMachines", "queryKvm", "queryCommands", "queryChardev", "queryMemdev");
        assertThat(decoded).hasSizeGreaterThan(refused.size());
    }
}
