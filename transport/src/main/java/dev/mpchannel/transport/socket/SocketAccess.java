package dev.mpchannel.transport.socket;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Who may reach the socket through the file system: by default only its owner (directory 0700, socket 0600); with
 * {@code socket.group} set, that group too (directory 0750, socket 0660, both of that group). The credentials check
 * on accept ({@code allowed.uids}, {@code allowed.gids}) comes on top of this.
 */
public record SocketAccess(String group) {
    public static final String GROUP_KEY = "socket.group";
    public static final SocketAccess PRIVATE = new SocketAccess("");

    public SocketAccess {
        group = group == null ? "" : group.strip();
    }

    public boolean groupAccess() {
        return !group.isEmpty();
    }

    String directoryMode() {
        return groupAccess() ? "rwxr-x---" : "rwx------";
    }

    String socketMode() {
        return groupAccess() ? "rw-rw----" : "rw-------";
    }

    /** Gives {@code path} this access's group (if any) and {@code mode}. */
    void apply(Path path, String mode) throws IOException {
        if (groupAccess()) {
            GroupPrincipal principal;
            try {
                principal = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            } catch (IOException e) {
                throw new IOException(GROUP_KEY + " '" + group + "' is not a group on this host", e);
            }
            Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(principal);
        }
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }
}
