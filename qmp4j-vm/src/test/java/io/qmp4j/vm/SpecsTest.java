package io.qmp4j.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SpecsTest {
    @Test
    void nicDefaultsDeriveNamesFromTheId() {
        NicSpec s = NicSpec.builder("nic1").build();
        assertThat(s).isEqualTo(new NicSpec("nic1", "virtio-net-pci", null, null, null, "nic1", "tap", "fd-nic1"));
    }

    @Test
    void nicValidationNamesTheBadField() {
        assertThatThrownBy(() -> NicSpec.builder("n").mac("52:54:00:12:34").build())
                .hasMessageContaining("MAC must look like");
        assertThatThrownBy(() -> NicSpec.builder("n").slot(32).build()).hasMessageContaining("0..31, got 32");
        assertThatThrownBy(() -> NicSpec.builder("n").backend("user").build()).hasMessageContaining("tap or socket");
    }

    @Test
    void diskNeedsExactlyOneSourceAndAValidNodeName() {
        assertThat(DiskSpec.file("d1", Path.of("/a")).nodeName()).isEqualTo("node-d1");
        assertThatThrownBy(() -> new DiskSpec("d", "n", null, null, "raw", false, "virtio-blk-pci", null, null))
                .hasMessageContaining("exactly one of file and fd");
        assertThatThrownBy(() -> DiskSpec.file("d", Path.of("/a")).withNodeName("1bad"))
                .hasMessageContaining("node name");
        assertThatThrownBy(() -> DiskSpec.file("d", Path.of("/a")).withFormat("vmdk")).hasMessageContaining("raw or qcow2");
    }

    @Test
    void passwordExpiryTexts() {
        assertThat(PasswordExpiry.now().qmpValue()).isEqualTo("now");
        assertThat(PasswordExpiry.never().qmpValue()).isEqualTo("never");
        assertThat(PasswordExpiry.after(Duration.ofMinutes(2)).qmpValue()).isEqualTo("+120");
        assertThat(PasswordExpiry.at(Instant.ofEpochSecond(1700000000)).qmpValue()).isEqualTo("1700000000");
        assertThatThrownBy(() -> new PasswordExpiry("tomorrow")).isInstanceOf(IllegalArgumentException.class);
    }
}
