package dev.mpchannel.bench.osgi;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What this process uses: heap after a full GC, open descriptors, threads, resident memory. Taken before and after
 * the scale step's secondaries connect, the difference is what the primary spends per secondary.
 */
record ProcessUsage(long heap, long fds, long threads, long rss) {
    static ProcessUsage now() throws IOException, InterruptedException {
        long heap = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // the lowest of a few full collections
            System.gc();
            Thread.sleep(100);
            heap = Math.min(heap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        long fds;
        try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
            fds = open.count();
        }
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return new ProcessUsage(heap, fds, ManagementFactory.getThreadMXBean().getThreadCount(), rss);
    }
}
