package dev.mpchannel.bench.harness;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's context switches so far, every thread's together: the sums of {@code voluntary_ctxt_switches} and
 * {@code nonvoluntary_ctxt_switches} over {@code /proc/<pid>/task/<tid>/status} (a process's own {@code status}
 * counts its main thread only). A thread that ends between two readings takes its count with it, so the
 * difference of two readings is a lower bound; the measured loops start no threads.
 *
 * @param voluntary   the thread gave up the CPU (it waited: a read, a park)
 * @param involuntary the scheduler took the CPU from it (preempted: another runnable thread on that CPU)
 */
public record ContextSwitches(long voluntary, long involuntary) {
    public static ContextSwitches of(long pid) {
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
        } catch (IOException notLinuxOrGone) {
            return new ContextSwitches(0, 0);
        }
        return new ContextSwitches(voluntary, involuntary);
    }

    /** The counts of an operation run between {@code before} (requester, responder) and now. */
    public static Result.Switches between(long ops, ContextSwitches requesterBefore, ContextSwitches requesterAfter,
            ContextSwitches responderBefore, ContextSwitches responderAfter) {
        return new Result.Switches(ops, requesterAfter.voluntary - requesterBefore.voluntary,
                requesterAfter.involuntary - requesterBefore.involuntary,
                responderAfter.voluntary - responderBefore.voluntary,
                responderAfter.involuntary - responderBefore.involuntary);
    }
}
