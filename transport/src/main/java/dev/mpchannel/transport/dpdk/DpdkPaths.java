package dev.mpchannel.transport.dpdk;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a DPDK application's multi-process sockets live, derived as DPDK derives it: {@code $RUNTIME_DIRECTORY},
 * else {@code /var/run} for root, else {@code $XDG_RUNTIME_DIR}, else {@code /tmp}; then {@code dpdk/<file-prefix>}.
 * The spelling matters: the primary answers only to the path it built itself ({@code /var/run/...}, not
 * {@code /run/...}), so the paths are never canonicalised.
 */
public record DpdkPaths(Path directory) {
    public static final String PREFIX_KEY = "dpdk.file.prefix";
    public static final String DIR_KEY = "dpdk.runtime.dir";

    /** @param configuredDirectory the runtime directory itself, or empty to derive it from {@code filePrefix} */
    public static DpdkPaths of(String configuredDirectory, String filePrefix, long uid) {
        if (configuredDirectory != null && !configuredDirectory.isBlank()) {
            return new DpdkPaths(Path.of(configuredDirectory.strip()));
        }
        if (filePrefix == null || filePrefix.isBlank() || filePrefix.contains("/")) {
            throw new IllegalArgumentException(PREFIX_KEY + " must name the DPDK application's --file-prefix, not '"
                    + filePrefix + "'");
        }
        String base = System.getenv("RUNTIME_DIRECTORY");
        if (base == null || base.isBlank()) {
            String xdg = System.getenv("XDG_RUNTIME_DIR");
            base = uid == 0 ? "/var/run" : xdg != null && !xdg.isBlank() ? xdg : "/tmp";
        }
        return new DpdkPaths(Path.of(base, "dpdk", filePrefix.strip()));
    }

    /** The primary's socket. */
    public Path primarySocket() {
        return directory.resolve("mp_socket");
    }

    /** The file the primary holds a write lock on for its life. */
    public Path config() {
        return directory.resolve("config");
    }

    /** A secondary's socket, named as DPDK names its own so that the primary's broadcasts reach it. */
    public Path secondarySocket(long pid, long counter) {
        return directory.resolve("mp_socket_" + pid + "_" + Long.toHexString(counter));
    }

    /** Whether a DPDK primary is running: it holds its lock on {@code config} (looked at, never taken). */
    public boolean primaryAlive() {
        return Files.exists(primarySocket()) && ConfigLock.isHeld(config());
    }
}
