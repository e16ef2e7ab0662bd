package io.qmp4j.testkit.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Internal: file and text helpers for {@link QemuProcess}. Caller thread. */
final class FileSupport {

    /** At most this many characters of any single log line go into a message. */
    private static final int MAX_LINE_CHARS = 500;

    private FileSupport() {}

    /** Reads {@code file} as UTF-8, replacing malformed bytes; returns "" if it does not exist. */
    static String readLenient(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** Returns the last {@code maxLines} lines of {@code text}, each cut to 500 characters. */
    static String tail(String text, int maxLines) {
        List<String> lines = text.lines().collect(Collectors.toList());
        return lines.subList(Math.max(0, lines.size() - maxLines), lines.size()).stream()
                .map(l -> l.length() > MAX_LINE_CHARS ? l.substring(0, MAX_LINE_CHARS) + "..." : l)
                .collect(Collectors.joining("\n"));
    }

    /**
     * Deletes {@code dir} and everything below it; a missing directory is not an error.
     *
     * @throws UncheckedIOException if something could not be deleted
     */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // removed concurrently: the goal is reached
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** Joins a command line so that it can be pasted into a POSIX shell. */
    static String shellJoin(List<String> args) {
        return args.stream().map(FileSupport::shellQuote).collect(Collectors.joining(" "));
    }

    private static String shellQuote(String arg) {
        if (!arg.isEmpty() && arg.chars().allMatch(c -> Character.isLetterOrDigit(c)
                || "-_./=,:+@%".indexOf(c) >= 0)) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
