package dev.mpchannel.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What this process's descriptors point to ({@code /proc/self/fd}), for tests that check nothing leaked. */
public final class OpenDescriptors {
    private OpenDescriptors() {
    }

    /** The targets of this process's open descriptors that lie under {@code prefix} (a file or a directory). */
    public static List<String> under(Path prefix) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) { // the listing's own descriptor, among others
                    return "";
                }
            }).filter(target -> target.startsWith(prefix.toString())).toList();
        }
    }
}
