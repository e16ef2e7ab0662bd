package io.qmp4j.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** No exported signature of the typed API (generated or not) mentions its internal runtime. */
class ApiPublicSignaturesTest {
    @Test
    void noExportedSignatureMentionsAnInternalType() throws Exception {
        Path root = Path.of(QemuApi.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> leaks = new ArrayList<>();
        int types = 0;
        for (String pkg : List.of("io.qmp4j.api", "io.qmp4j.api.types", "io.qmp4j.api.events")) {
            try (Stream<Path> files = Files.list(root.resolve(pkg.replace('.', '/')))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    if (!name.endsWith(".class") || name.equals("package-info.class")) {
                        continue;
                    }
                    Class<?> c = Class.forName(pkg + "." + name.substring(0, name.length() - 6));
                    if (!Modifier.isPublic(c.getModifiers())) {
                        continue;
                    }
                    types++;
                    List<Executable> members = new ArrayList<>(List.of(c.getConstructors()));
                    members.addAll(List.of(c.getMethods()));
                    for (Executable m : members) {
                        List<Type> ts = new ArrayList<>(List.of(m.getGenericParameterTypes()));
                        if (m instanceof Method method) {
                            ts.add(method.getGenericReturnType());
                        }
                        ts.stream().filter(t -> t.getTypeName().contains(".internal."))
                                .forEach(t -> leaks.add(c.getName() + "#" + m.getName() + ": " + t));
                    }
                }
            }
        }
        assertThat(types).isGreaterThan(400);
        assertThat(leaks).isEmpty();
    }
}
