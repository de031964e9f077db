package dev.mpchannel.transport.wire;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.Collection;

/** Closing received descriptors that reach nobody: the JDK has no public close for a bare FileDescriptor. */
public final class FileDescriptors {
    private FileDescriptors() {
    }

    /** Closes each valid descriptor, ignoring errors: called on paths that are already failing or cleaning up. */
    public static void closeAll(Iterable<FileDescriptor> fds) {
        if (fds instanceof Collection<FileDescriptor> some && some.isEmpty()) {
            return; // the common case, without an iterator
        }
        for (FileDescriptor fd : fds) {
            close(fd);
        }
    }

    public static void close(FileDescriptor fd) {
        if (fd == null || !fd.valid()) {
            return;
        }
        // A stream built on the descriptor closes it (and marks it invalid) when it is closed.
        try (FileInputStream owner = new FileInputStream(fd)) {
            // nothing to read; the stream exists only to close fd
        } catch (IOException ignored) {
            // the descriptor is unusable either way
        }
    }
}
