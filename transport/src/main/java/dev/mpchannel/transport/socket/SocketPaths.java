package dev.mpchannel.transport.socket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;

/**
 * Where a channel's socket and lock live: {@code <directory>/<prefix>.sock} and {@code <directory>/<prefix>.lock}.
 * The prefix names the channel (like DPDK's {@code --file-prefix}), so several channels can share one host.
 */
public record SocketPaths(Path directory, String prefix) {
    /** sun_path holds 108 bytes including the terminating NUL. */
    public static final int MAX_SOCKET_PATH_BYTES = 107;

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public SocketPaths {
        if (!PREFIX.matcher(prefix).matches() || prefix.startsWith(".")) {
            throw new IllegalArgumentException("prefix '" + prefix
                    + "' must be 1..64 characters of letters, digits, '.', '_' or '-', not starting with '.'");
        }
        int length = directory.resolve(prefix + ".sock").toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_SOCKET_PATH_BYTES) {
            throw new IllegalArgumentException("socket path " + directory.resolve(prefix + ".sock") + " is " + length
                    + " bytes, longer than a Unix socket path may be (" + MAX_SOCKET_PATH_BYTES
                    + "); choose a shorter socket.dir or prefix");
        }
    }

    /**
     * The paths for a configured directory (empty for the default) and prefix. The default directory is
     * {@code $XDG_RUNTIME_DIR/mpchannel} when the session has one, else {@code /tmp/mpchannel-<user>}.
     */
    public static SocketPaths of(String configuredDirectory, String prefix) {
        return new SocketPaths(configuredDirectory == null || configuredDirectory.isBlank()
                ? defaultDirectory()
                : Path.of(configuredDirectory), prefix);
    }

    static Path defaultDirectory() {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))) {
            return Path.of(runtime, "mpchannel");
        }
        // /tmp itself, not java.io.tmpdir: every process of the user must find the same path, and containers such as
        // Karaf point java.io.tmpdir into their own data directory
        return Path.of("/tmp", "mpchannel-" + System.getProperty("user.name"));
    }

    public Path socket() {
        return directory.resolve(prefix + ".sock");
    }

    public Path lock() {
        return directory.resolve(prefix + ".lock");
    }

    /** Creates the directory, readable by this user only, if it does not exist. */
    public void createDirectory() throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    /** Creates the directory if needed and gives it the access asked for (a primary, which owns the directory). */
    public void createDirectory(SocketAccess access) throws IOException {
        createDirectory();
        access.apply(directory, access.directoryMode());
    }
}
