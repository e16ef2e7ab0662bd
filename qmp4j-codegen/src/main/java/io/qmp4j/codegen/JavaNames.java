package io.qmp4j.codegen;

import java.util.Locale;
import java.util.Set;

/** Java identifiers from QMP names ({@code node-name}, {@code BLOCK_JOB_COMPLETED}, {@code x-foo}). */
final class JavaNames {
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "var", "yield", "record", "sealed", "permits",
            // Object's methods and record/builder members that a component must not shadow
            "hashCode", "toString", "equals", "getClass", "notify", "notifyAll", "wait", "clone", "finalize",
            "builder", "build");

    private JavaNames() {
    }

    /** {@code node-name} → {@code NodeName}; {@code BLOCK_JOB_COMPLETED} → {@code BlockJobCompleted}. */
    static String pascal(String qmpName) {
        StringBuilder out = new StringBuilder();
        boolean upper = true;
        boolean allUpper = qmpName.equals(qmpName.toUpperCase(Locale.ROOT));
        for (char c : qmpName.toCharArray()) {
            if (!Character.isLetterOrDigit(c)) {
                upper = true;
                continue;
            }
            if (upper) {
                out.append(Character.toUpperCase(c));
                upper = false;
            } else {
                out.append(allUpper ? Character.toLowerCase(c) : c);
            }
        }
        if (out.length() == 0 || Character.isDigit(out.charAt(0))) {
            out.insert(0, 'N');
        }
        return out.toString();
    }

    /** {@code node-name} → {@code nodeName}; keywords and Object's methods get a trailing {@code _}. */
    static String camel(String qmpName) {
        String p = pascal(qmpName);
        String c = Character.toLowerCase(p.charAt(0)) + p.substring(1);
        return KEYWORDS.contains(c) ? c + "_" : c;
    }

    /** {@code null-co} → {@code NULL_CO}; {@code 1} → {@code V_1}. */
    static String constant(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            out.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        String s = out.toString();
        if (s.isEmpty() || Character.isDigit(s.charAt(0))) {
            s = "V_" + s;
        }
        return s.equals("UNKNOWN") ? "UNKNOWN_VALUE" : s;
    }

    /** {@code text} as a Java string literal. */
    static String literal(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** {@code text} safe inside Javadoc {@code {@code ...}}. */
    static String doc(String text) {
        return text.replace("*/", "*&#47;").replace("@", "&#64;").replace("{", "&#123;").replace("}", "&#125;");
    }
}
