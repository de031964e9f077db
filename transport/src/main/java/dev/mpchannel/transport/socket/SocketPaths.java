package dev.mpchannel.transport.socket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.util.Map;
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
        return defaultDirectory(System.getenv("XDG_RUNTIME_DIR"));
    }

    /**
     * {@code $XDG_RUNTIME_DIR/mpchannel} if {@code runtime} is a directory of this user that nobody else may write
     * (as pam_systemd makes it: 0700); a runtime directory inherited from another user (sudo keeps the variable)
     * is not used, since its owner could replace what this process puts there.
     */
    static Path defaultDirectory(String runtime) {
        if (runtime != null && !runtime.isBlank() && Path.of(runtime).isAbsolute() && isPrivate(Path.of(runtime))) {
            return Path.of(runtime, "mpchannel");
        }
        // /tmp itself, not java.io.tmpdir: every process of the user must find the same path, and containers such as
        // Karaf point java.io.tmpdir into their own data directory
        return Path.of("/tmp", "mpchannel-" + System.getProperty("user.name"));
    }

    private static boolean isPrivate(Path runtime) {
        try {
            Map<String, Object> found = Files.readAttributes(runtime, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) found.get("mode");
            return (mode & SocketDirectory.TYPE) == SocketDirectory.DIRECTORY && (mode & 0022) == 0
                    && ((Number) found.get("uid")).longValue() == SocketDirectory.ownUid();
        } catch (IOException e) {
            return false;
        }
    }

    public Path socket() {
        return directory.resolve(prefix + ".sock");
    }

    public Path lock() {
        return directory.resolve(prefix + ".lock");
    }

    /**
     * Creates the directory, for this user only, if it does not exist, else checks it ({@link SocketDirectory}).
     *
     * @throws UnsafePathException if the directory found is not this process's own to use
     */
    public void createDirectory() throws IOException {
        createDirectory(SocketAccess.PRIVATE);
    }

    /**
     * Creates the directory with the access asked for if it does not exist, else checks it for that access; a
     * directory this process did not create is never changed ({@link SocketDirectory}).
     */
    public void createDirectory(SocketAccess access) throws IOException {
        SocketDirectory.open(directory, access);
    }
}
