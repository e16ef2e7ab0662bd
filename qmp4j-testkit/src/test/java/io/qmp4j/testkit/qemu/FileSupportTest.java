package io.qmp4j.testkit.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSupportTest {

    @TempDir
    Path tmp;

    @Test
    void tailKeepsTheLastLinesAndCutsLongOnes() {
        assertThat(FileSupport.tail("a\nb\nc\nd\n", 2)).isEqualTo("c\nd");
        assertThat(FileSupport.tail("a\r\nb", 5)).isEqualTo("a\nb");
        assertThat(FileSupport.tail("", 5)).isEmpty();
        assertThat(FileSupport.tail("x".repeat(600), 1)).hasSize(503).endsWith("...");
    }

    @Test
    void shellJoinQuotesOnlyWhatTheShellWouldSplitOrExpand() {
        assertThat(FileSupport.shellJoin(List.of("qemu", "-qmp",
                "unix:/tmp/d/qmp.sock,server=on,wait=off", "a b", "it's", "", "$HOME")))
                .isEqualTo("qemu -qmp unix:/tmp/d/qmp.sock,server=on,wait=off 'a b' 'it'\\''s' ''"
                        + " '$HOME'");
    }

    @Test
    void deleteRecursivelyRemovesTreeAndToleratesMissingDirectory() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("r/s/t"));
        Files.writeString(root.resolve("f"), "x");

        FileSupport.deleteRecursively(tmp.resolve("r"));
        FileSupport.deleteRecursively(tmp.resolve("r"));

        assertThat(tmp.resolve("r")).doesNotExist();
    }

    @Test
    void readLenientReplacesBadBytesAndTreatsMissingFileAsEmpty() throws IOException {
        Path f = Files.write(tmp.resolve("log"), new byte[] {'o', 'k', (byte) 0xff});

        assertThat(FileSupport.readLenient(f)).startsWith("ok").hasSize(3);
        assertThat(FileSupport.readLenient(tmp.resolve("missing"))).isEmpty();
    }
}
