package io.qmp4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** No exported signature may mention an internal or Netty type; every public type has Javadoc-worthy packaging. */
class PublicApiTest {
    private static final List<String> EXPORTED = List.of("io.qmp4j", "io.qmp4j.message", "io.qmp4j.framing", "io.qmp4j.event",
            "io.qmp4j.qga", "io.qmp4j.schema");

    private static List<Class<?>> exportedPublicTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(QmpConnection.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> types = new ArrayList<>();
        for (String pkg : EXPORTED) {
            try (Stream<Path> files = Files.list(root.resolve(pkg.replace('.', '/')))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".class") && !name.equals("package-info.class")) {
                        Class<?> c = Class.forName(pkg + "." + name.substring(0, name.length() - 6));
                        if (Modifier.isPublic(c.getModifiers())) {
                            types.add(c);
                        }
                    }
                }
            }
        }
        return types;
    }

    private static boolean leaks(Type t) {
        String n = t.getTypeName();
        return n.contains(".internal.") || n.startsWith("io.netty") || n.contains("<io.netty");
    }

    @Test
    void noExportedSignatureMentionsInternalOrNettyTypes() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : exportedPublicTypes()) {
            List<Executable> members = new ArrayList<>(List.of(c.getConstructors()));
            members.addAll(List.of(c.getMethods()));
            for (Executable m : members) {
                if (m.getDeclaringClass().getName().startsWith("java.")) {
                    continue;
                }
                List<Type> types = new ArrayList<>(List.of(m.getGenericParameterTypes()));
                types.addAll(List.of(m.getGenericExceptionTypes()));
                if (m instanceof Method method) {
                    types.add(method.getGenericReturnType());
                }
                types.stream().filter(PublicApiTest::leaks).forEach(t -> leaks.add(c.getName() + "#" + m.getName() + ": " + t));
            }
            for (Field f : c.getFields()) {
                if (leaks(f.getGenericType())) {
                    leaks.add(c.getName() + "." + f.getName());
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void theExportedApiHasTheTypesUsersRelyOn() throws Exception {
        assertThat(exportedPublicTypes()).extracting(Class::getSimpleName).contains(
                "QmpConnection", "QmpConnectionBuilder", "QmpException", "QmpCommandException", "QmpTimeoutException",
                "QmpConnectionClosedException", "QmpProtocolException", "QmpMessage", "QmpEvent", "QmpFraming",
                "EventFilter", "EventSubscription", "OverflowPolicy", "ConnectionState", "QgaConnection",
                "QgaConnectionBuilder", "QgaExecResult", "QmpValidationException", "QmpSchema", "ObjectType", "SchemaCommand");
        assertThat(RuntimeException.class).isAssignableFrom(QmpException.class);
    }
}
