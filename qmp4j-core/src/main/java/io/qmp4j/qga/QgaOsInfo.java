package io.qmp4j.qga;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The guest's operating system, from {@code guest-get-osinfo} (on Linux read from
 * {@code /etc/os-release} and {@code uname}). Every field is {@code null} when the guest does not
 * report it.
 *
 * @param id            the distribution id, for example {@code debian}
 * @param name          for example {@code Debian GNU/Linux}
 * @param prettyName    for example {@code Debian GNU/Linux 12 (bookworm)}
 * @param version       for example {@code 12 (bookworm)}
 * @param versionId     for example {@code 12}
 * @param variant       the variant name, if any
 * @param variantId     the variant id, if any
 * @param kernelRelease {@code uname -r}
 * @param kernelVersion {@code uname -v}
 * @param machine       {@code uname -m}, for example {@code x86_64}
 */
public record QgaOsInfo(String id, String name, String prettyName, String version, String versionId,
        String variant, String variantId, String kernelRelease, String kernelVersion, String machine) {

    static QgaOsInfo of(JsonNode j) {
        return new QgaOsInfo(text(j, "id"), text(j, "name"), text(j, "pretty-name"), text(j, "version"),
                text(j, "version-id"), text(j, "variant"), text(j, "variant-id"), text(j, "kernel-release"),
                text(j, "kernel-version"), text(j, "machine"));
    }

    private static String text(JsonNode j, String field) {
        JsonNode v = j.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
