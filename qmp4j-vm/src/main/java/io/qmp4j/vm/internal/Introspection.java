package io.qmp4j.vm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.QmpConnection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@link Capabilities} from QEMU itself: {@code query-commands} (6.5 KB) for commands,
 * {@code query-qmp-schema} (207 KB, only when an argument is asked about) for arguments, and
 * {@code qom-list-types} for device types. Each is asked once per connection; a failed
 * question is asked again next time. Thread-safe.
 */
public final class Introspection implements Capabilities {
    private final QmpConnection qmp;
    private final Object lock = new Object();
    private CompletableFuture<Set<String>> commands;
    private CompletableFuture<Map<String, Set<String>>> arguments;
    private CompletableFuture<Set<String>> deviceTypes;

    /** Introspection of the QEMU behind {@code qmp} (connected). */
    public Introspection(QmpConnection qmp) {
        this.qmp = qmp;
    }

    @Override
    public CompletableFuture<Boolean> hasCommand(String command) {
        CompletableFuture<Set<String>> f;
        synchronized (lock) {
            commands = retryIfFailed(commands, () -> qmp.executeAsync("query-commands")
                    .thenApply(r -> names(r, "name")));
            f = commands;
        }
        return f.thenApply(s -> s.contains(command));
    }

    @Override
    public CompletableFuture<Boolean> hasArgument(String command, String argument) {
        CompletableFuture<Map<String, Set<String>>> f;
        synchronized (lock) {
            arguments = retryIfFailed(arguments, () -> qmp.executeAsync("query-qmp-schema")
                    .thenApply(Introspection::commandArguments));
            f = arguments;
        }
        return f.thenApply(m -> m.getOrDefault(command, Set.of()).contains(argument));
    }

    @Override
    public CompletableFuture<Boolean> hasDeviceType(String type) {
        CompletableFuture<Set<String>> f;
        synchronized (lock) {
            deviceTypes = retryIfFailed(deviceTypes, () -> qmp.executeAsync("qom-list-types",
                    Map.of("implements", "device", "abstract", false)).thenApply(r -> names(r, "name")));
            f = deviceTypes;
        }
        return f.thenApply(s -> s.contains(type));
    }

    @Override
    public String qemuVersion() {
        return qmp.greeting().version().toString();
    }

    private static <T> CompletableFuture<T> retryIfFailed(CompletableFuture<T> cached,
            java.util.function.Supplier<CompletableFuture<T>> ask) {
        return cached == null || cached.isCompletedExceptionally() || cached.isCancelled() ? ask.get() : cached;
    }

    private static Set<String> names(JsonNode array, String field) {
        Set<String> out = new HashSet<>();
        array.forEach(e -> out.add(e.path(field).asText()));
        return Set.copyOf(out);
    }

    /**
     * From {@code query-qmp-schema}: each command's argument names. Commands name their
     * {@code arg-type}, an object type (names masked as numbers) whose {@code members} are the
     * arguments; only that much of the schema is read here.
     */
    static Map<String, Set<String>> commandArguments(JsonNode schema) {
        Map<String, JsonNode> byName = new HashMap<>();
        schema.forEach(e -> byName.put(e.path("name").asText(), e));
        Map<String, Set<String>> out = new HashMap<>();
        Function<String, Set<String>> members = type -> {
            Set<String> names = new HashSet<>();
            byName.getOrDefault(type, com.fasterxml.jackson.databind.node.MissingNode.getInstance())
                    .path("members").forEach(m -> names.add(m.path("name").asText()));
            return Set.copyOf(names);
        };
        schema.forEach(e -> {
            if ("command".equals(e.path("meta-type").asText())) {
                out.put(e.path("name").asText(), members.apply(e.path("arg-type").asText()));
            }
        });
        return Map.copyOf(out);
    }
}
