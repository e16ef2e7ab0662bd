package io.qmp4j.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parses the {@code key=value} tokens that the raw C client and go-qemu peer print. */
final class KeyValues {
    private KeyValues() {
    }

    /** The {@code key=value} tokens of {@code line}, in order; other tokens are ignored. */
    static Map<String, String> parse(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String token : line.trim().split("\\s+")) {
            int eq = token.indexOf('=');
            if (eq > 0 && eq < token.length() - 1) {
                out.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return out;
    }

    /** The numeric value of {@code key}, or fails naming the line. */
    static double number(Map<String, String> values, String key, String line) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalStateException("no " + key + "= in peer output: " + line);
        }
        return Double.parseDouble(v);
    }
}
