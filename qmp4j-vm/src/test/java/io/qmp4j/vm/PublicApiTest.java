package io.qmp4j.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No exported signature of io.qmp4j.vm mentions an internal type; every public type is final or an exception/enum/record. */
class PublicApiTest {
    private static final List<Class<?>> API = List.of(QemuVm.class, Nics.class, Disks.class, Pci.class, Cpus.class,
            Balloon.class, Migration.class, Consoles.class, NicSpec.class, NicSpec.Builder.class, PluggedNic.class,
            DiskSpec.class, PluggedDisk.class, PciDevice.class, HotpluggableCpu.class, MigrationProgress.class,
            VmStatus.class, PowerdownResult.class, ConsoleProtocol.class, PasswordExpiry.class, VmCapability.class,
            VmOperationException.class, VmTimeoutException.class, VmUnsupportedException.class);

    @Test
    void noPublicSignatureMentionsAnInternalType() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : API) {
            for (Method m : c.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers())) {
                    check(c + "." + m.getName(), m.getGenericReturnType(), leaks);
                    for (Type p : m.getGenericParameterTypes()) {
                        check(c + "." + m.getName(), p, leaks);
                    }
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (Modifier.isPublic(k.getModifiers())) {
                    for (Type p : k.getGenericParameterTypes()) {
                        check(c + ".<init>", p, leaks);
                    }
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void operationClassesCannotBeMadeOutsideThePackage() {
        for (Class<?> c : List.of(Nics.class, Disks.class, Pci.class, Cpus.class, Balloon.class, Migration.class,
                Consoles.class, QemuVm.class)) {
            assertThat(Modifier.isFinal(c.getModifiers())).as(c.getName()).isTrue();
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                assertThat(Modifier.isPublic(k.getModifiers())).as(k.toString()).isFalse();
            }
        }
        for (Class<?> c : API) {
            if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    assertThat(rc.getType().getName()).doesNotContain(".internal.");
                }
            }
        }
    }

    private static void check(String where, Type t, List<String> leaks) {
        if (t.getTypeName().contains(".internal.")) {
            leaks.add(where + ": " + t.getTypeName());
        }
    }
}
