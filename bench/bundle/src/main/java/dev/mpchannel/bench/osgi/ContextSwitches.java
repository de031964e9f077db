package dev.mpchannel.bench.osgi;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's context switches so far, every thread's together ({@code voluntary_ctxt_switches} and
 * {@code nonvoluntary_ctxt_switches} of {@code /proc/<pid>/task/<tid>/status}); (0, 0) where unreadable. The
 * harness has the same reader; the driver reads itself and the peer it measures against.
 */
record ContextSwitches(long voluntary, long involuntary) {
    static ContextSwitches of(long pid) {
        long voluntary = 0;
        long involuntary = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            voluntary += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            involuntary += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException threadEnded) {
                    // gone between the listing and the read
                }
            }
        } catch (IOException gone) {
            return new ContextSwitches(0, 0);
        }
        return new ContextSwitches(voluntary, involuntary);
    }

    /** This process and a peer, read together. */
    static ContextSwitches[] of(long self, long peer) {
        return new ContextSwitches[] {of(self), of(peer)};
    }
}
