package dev.mpchannel.transport.dpdk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Who the DPDK primary is, as far as the file system tells: DPDK's datagrams carry no credentials, so its pid is the
 * holder of its lock on {@code config} ({@code /proc/locks}) and its uid and gid those of its socket file.
 */
final class PrimaryProcess {
    private PrimaryProcess() {
    }

    /** The pid holding a lock on {@code config}, or -1 if it cannot be told. */
    static long pid(Path config) {
        try {
            long inode = ((Number) Files.getAttribute(config, "unix:ino")).longValue();
            List<String> locks = Files.readAllLines(Path.of("/proc/locks"));
            for (String line : locks) {
                // e.g. "1: POSIX  ADVISORY  WRITE 1234 08:01:5678 0 EOF"
                String[] fields = line.trim().split("\\s+");
                if (fields.length >= 6 && fields[5].endsWith(":" + inode)) {
                    return Long.parseLong(fields[4]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not told: -1
        }
        return -1;
    }

    static long owner(Path file) throws IOException {
        return ((Number) Files.getAttribute(file, "unix:uid")).longValue();
    }

    static long group(Path file) throws IOException {
        return ((Number) Files.getAttribute(file, "unix:gid")).longValue();
    }
}
