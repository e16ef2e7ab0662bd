package io.qmp4j.vm.internal;

import io.qmp4j.vm.VmUnsupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/** Capability checks that fail with {@link VmUnsupportedException} before anything else is sent. */
public final class Requirements {
    private final Capabilities capabilities;

    /** Checks against {@code capabilities}. */
    public Requirements(Capabilities capabilities) {
        this.capabilities = capabilities;
    }

    /** The commands of {@code commands} that QEMU lacks, sorted (empty when all are there). */
    public CompletableFuture<Set<String>> missingCommands(List<String> commands) {
        List<CompletableFuture<Boolean>> checks = new ArrayList<>();
        for (String c : commands) {
            checks.add(capabilities.hasCommand(c));
        }
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenApply(v -> {
            Set<String> missing = new TreeSet<>();
            for (int i = 0; i < checks.size(); i++) {
                if (!checks.get(i).join()) {
                    missing.add(commands.get(i));
                }
            }
            return missing;
        });
    }

    /** Fails when any of {@code commands} is missing; {@code what} names the operation. */
    public CompletableFuture<Void> commands(List<String> commands, String what) {
        return missingCommands(commands).thenCompose(missing -> missing.isEmpty()
                ? CompletableFuture.completedFuture(null)
                : Async.failed(new VmUnsupportedException(what, missing, capabilities.qemuVersion())));
    }

    /** Fails when QEMU has no device type {@code type}. */
    public CompletableFuture<Void> deviceType(String type, String what) {
        return capabilities.hasDeviceType(type).thenCompose(ok -> ok ? CompletableFuture.completedFuture(null)
                : Async.failed(new VmUnsupportedException(what, Set.of("device type " + type),
                        capabilities.qemuVersion())));
    }

    /** Fails when {@code command} takes no argument {@code argument}. */
    public CompletableFuture<Void> argument(String command, String argument, String what) {
        return capabilities.hasArgument(command, argument).thenCompose(ok -> ok
                ? CompletableFuture.completedFuture(null)
                : Async.failed(new VmUnsupportedException(what, Set.of(command + " argument " + argument),
                        capabilities.qemuVersion())));
    }
}
