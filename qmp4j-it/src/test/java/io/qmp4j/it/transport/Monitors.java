package io.qmp4j.it.transport;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.QmpConnection;
import io.qmp4j.testkit.qemu.QemuProcess;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Extra QMP monitors on a test QEMU, found through its main UNIX monitor. */
final class Monitors {
    private static final Pattern PORT = Pattern.compile(":(\\d+),server=on");

    private Monitors() {
    }

    /** QEMU arguments for a TCP server monitor {@code id} on {@code host} with a port QEMU picks. */
    static String[] tcpServer(String id, String host, String... chardevOptions) {
        String extra = chardevOptions.length == 0 ? "" : "," + String.join(",", chardevOptions);
        return new String[] {"-chardev", "socket,id=" + id + ",host=" + host + ",port=0,server=on,wait=off,nodelay=on"
                + (host.contains(":") ? ",ipv6=on" : "") + extra, "-mon", "chardev=" + id + ",mode=control"};
    }

    /** The TCP port QEMU bound for chardev {@code id}, from {@code query-chardev}. */
    static int tcpPort(QemuProcess qemu, String id) {
        try (QmpConnection qmp = QmpConnection.builder(qemu.qmpSocket()).build()) {
            qmp.connect();
            for (JsonNode c : qmp.execute("query-chardev")) {
                if (id.equals(c.path("label").asText())) {
                    Matcher m = PORT.matcher(c.path("filename").asText());
                    if (m.find()) {
                        return Integer.parseInt(m.group(1));
                    }
                }
            }
        }
        throw new IllegalStateException("no TCP chardev " + id + " in " + qemu);
    }
}
