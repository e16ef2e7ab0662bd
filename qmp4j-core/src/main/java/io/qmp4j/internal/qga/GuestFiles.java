package io.qmp4j.internal.qga;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpException;
import io.qmp4j.QmpProtocolException;
import io.qmp4j.qga.TransferProgress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * File transfer with {@code guest-file-open/read/write/close}, one chunk per command. Caller
 * thread. The guest handle is always closed, also when the transfer fails.
 */
public final class GuestFiles {
    private GuestFiles() {
    }

    /**
     * Copies {@code local} to {@code remote} in the guest (created or truncated, mode {@code w}).
     * A transfer that fails leaves a partial guest file.
     *
     * @return the bytes copied
     */
    public static long copyToGuest(AgentCalls agent, Path local, String remote, int chunkBytes,
            TransferProgress progress) throws IOException {
        long total = Files.size(local);
        try (InputStream in = Files.newInputStream(local)) {
            long handle = open(agent, remote, "w");
            return withHandle(agent, handle, () -> {
                byte[] buf = new byte[chunkBytes];
                long done = 0;
                progress.update(0, total);
                int n;
                while ((n = in.readNBytes(buf, 0, chunkBytes)) > 0) {
                    writeFully(agent, handle, buf, n, remote);
                    done += n;
                    progress.update(done, Math.max(total, done));
                }
                return done;
            });
        }
    }

    /**
     * Copies {@code remote} in the guest to {@code local}. The data goes to a temporary file next
     * to {@code local} that replaces it only once the whole file has arrived, so a failed
     * transfer leaves {@code local} as it was.
     *
     * @return the bytes copied
     */
    public static long copyFromGuest(AgentCalls agent, String remote, Path local, int chunkBytes,
            TransferProgress progress) throws IOException {
        Path target = local.toAbsolutePath();
        long handle = open(agent, remote, "r");
        return withHandle(agent, handle, () -> {
            long total = size(agent, handle);
            Path part = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
            boolean moved = false;
            try {
                long done;
                try (OutputStream out = Files.newOutputStream(part)) {
                    done = readAll(agent, handle, chunkBytes, out, total, progress);
                }
                move(part, target);
                moved = true;
                return done;
            } finally {
                if (!moved) {
                    Files.deleteIfExists(part);
                }
            }
        });
    }

    private static long readAll(AgentCalls agent, long handle, int chunkBytes, OutputStream out, long total,
            TransferProgress progress) throws IOException {
        long done = 0;
        progress.update(0, total);
        while (true) {
            JsonNode r = agent.execute("guest-file-read", Map.of("handle", handle, "count", chunkBytes));
            byte[] bytes = decode(r.path("buf-b64").asText(""));
            out.write(bytes);
            done += bytes.length;
            if (bytes.length > 0) {
                progress.update(done, total < 0 ? -1 : Math.max(total, done));
            }
            if (r.path("eof").asBoolean(false) || bytes.length == 0) {
                return done;
            }
        }
    }

    private static void writeFully(AgentCalls agent, long handle, byte[] buf, int length, String remote) {
        int offset = 0;
        while (offset < length) {
            ByteBuffer slice = ByteBuffer.wrap(buf, offset, length - offset);
            String b64 = StandardCharsets.ISO_8859_1.decode(Base64.getEncoder().encode(slice)).toString();
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("handle", handle);
            args.put("buf-b64", b64);
            int count = agent.execute("guest-file-write", args).path("count").asInt(-1);
            if (count <= 0 || count > length - offset) {
                throw new QmpProtocolException("guest-file-write to " + remote + ": the agent wrote " + count
                        + " of " + (length - offset) + " bytes");
            }
            offset += count;
        }
    }

    /** The file's size by seeking to its end and back, or -1 where the file cannot seek (a pipe). */
    private static long size(AgentCalls agent, long handle) {
        try {
            long end = agent.execute("guest-file-seek", Map.of("handle", handle, "offset", 0, "whence", "end"))
                    .path("position").asLong(-1);
            agent.execute("guest-file-seek", Map.of("handle", handle, "offset", 0, "whence", "set"));
            return end;
        } catch (QmpCommandException e) {
            return -1;
        }
    }

    private static long open(AgentCalls agent, String remote, String mode) {
        JsonNode handle = agent.execute("guest-file-open", Map.of("path", remote, "mode", mode));
        if (!handle.canConvertToLong()) {
            throw new QmpProtocolException("guest-file-open " + remote + ": the agent returned no handle: " + handle);
        }
        return handle.asLong();
    }

    private static byte[] decode(String b64) {
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new QmpProtocolException("guest-file-read: buf-b64 is not base64: " + e.getMessage(), e);
        }
    }

    private static void move(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A transfer body that may fail with an I/O error on the local side. */
    private interface Body {
        long run() throws IOException;
    }

    /** Runs {@code body} and closes the guest handle; a close failure after a body failure is suppressed. */
    private static long withHandle(AgentCalls agent, long handle, Body body) throws IOException {
        long result;
        try {
            result = body.run();
        } catch (IOException | RuntimeException e) {
            try {
                agent.execute("guest-file-close", Map.of("handle", handle));
            } catch (QmpException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
        agent.execute("guest-file-close", Map.of("handle", handle));
        return result;
    }
}
