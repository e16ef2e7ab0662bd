package io.qmp4j.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where qmp4j keeps per-user files: {@code $XDG_CONFIG_HOME/qmp4j}, or {@code ~/.config/qmp4j}
 * when that variable is unset or not absolute (the XDG Base Directory rule).
 */
final class ConfigDir {
    private ConfigDir() {
    }

    /** The shell's history file in the directory chosen from {@code env} and {@code home}. */
    static Path historyFile(Map<String, String> env, String home) {
        return directory(env, home).resolve("history");
    }

    /** {@code $XDG_CONFIG_HOME/qmp4j} if that is an absolute path, else {@code HOME/.config/qmp4j}. */
    static Path directory(Map<String, String> env, String home) {
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "qmp4j");
        }
        return Path.of(home, ".config", "qmp4j");
    }
}
