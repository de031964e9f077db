package dev.mpchannel.bench.harness;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Hugepages for a DPDK primary and its DPDK secondary, set up for one step and put back afterwards: a hugetlbfs
 * mount (2 MiB pages) in a temporary directory of its own, and {@code vm.nr_hugepages} raised by the pages the step
 * needs. {@link #close} (also run by a shutdown hook, on Ctrl-C) unmounts, removes the directory, and lowers
 * {@code nr_hugepages} by what was added; the caller stops the DPDK processes first (a mapped hugepage keeps the
 * mount busy). Needs root; {@link #setUp} says why not otherwise.
 */
final class HugePages implements AutoCloseable {
    private static final Path NR = Path.of("/proc/sys/vm/nr_hugepages");

    private final Path mount;
    private final long added;
    private final Thread hook = new Thread(this::restore, "mpbench-hugepages");
    private boolean restored;

    private HugePages(Path mount, long added) {
        this.mount = mount;
        this.added = added;
    }

    /** The result of {@link #setUp}: the pages, or why there are none. */
    record Attempt(HugePages pages, String whyNot) {
    }

    /** Mounts hugetlbfs and adds {@code pages} 2 MiB pages; or says why it could not (and leaves nothing behind). */
    static Attempt setUp(int pages) {
        if (!isRoot()) {
            return new Attempt(null, "not root (a DPDK secondary needs hugepages: a hugetlbfs mount and "
                    + "vm.nr_hugepages)");
        }
        Path dir = null;
        boolean mounted = false;
        long before = -1;
        try {
            before = readNr();
            dir = Files.createTempDirectory(Path.of("/tmp"), "mpbench-huge-");
            run(List.of("mount", "-t", "hugetlbfs", "-o", "pagesize=2M", "nodev", dir.toString()));
            mounted = true;
            writeNr(Long.toString(before + pages));
            long now = readNr();
            for (int retry = 0; retry < 3 && now < before + pages; retry++) {
                // 2 MiB of contiguous memory each: let the kernel compact memory, then ask again
                Files.writeString(Path.of("/proc/sys/vm/compact_memory"), "1");
                Thread.sleep(200);
                writeNr(Long.toString(before + pages));
                now = readNr();
            }
            HugePages set = new HugePages(dir, now - before);
            Runtime.getRuntime().addShutdownHook(set.hook);
            if (now < before + pages) {
                set.close();
                return new Attempt(null, "the kernel gave " + (now - before) + " of " + pages + " hugepages");
            }
            return new Attempt(set, null);
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (mounted) {
                try {
                    run(List.of("umount", dir.toString()));
                } catch (IOException | InterruptedException ignored) {
                    // reported below
                }
            }
            try {
                if (dir != null) {
                    Files.deleteIfExists(dir);
                }
                if (before >= 0 && readNr() != before) {
                    writeNr(Long.toString(before));
                }
            } catch (IOException | RuntimeException ignored) {
                // best effort
            }
            return new Attempt(null, "hugepages could not be set up: " + e.getMessage());
        }
    }

    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The hugetlbfs mount, for DPDK's {@code --huge-dir}. */
    Path mount() {
        return mount;
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) anyway
        }
    }

    private synchronized void restore() {
        if (restored) {
            return;
        }
        restored = true;
        StringBuilder problems = new StringBuilder();
        for (int attempt = 0; ; attempt++) { // a DPDK process that was just killed may still hold its pages
            try {
                run(List.of("umount", mount.toString()));
                Files.deleteIfExists(mount);
                break;
            } catch (IOException | InterruptedException e) {
                if (attempt == 20) {
                    problems.append("could not unmount ").append(mount).append(": ").append(e.getMessage());
                    break;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException stop) {
                    break;
                }
            }
        }
        try {
            long now = readNr();
            writeNr(Long.toString(Math.max(0, now - added)));
        } catch (IOException | RuntimeException e) {
            problems.append(" could not restore vm.nr_hugepages: ").append(e.getMessage());
        }
        if (problems.length() > 0) {
            System.err.println("mpbench: " + problems);
        }
    }

    /**
     * {@code vm.nr_hugepages} in one read: a sysctl file answers a read at a non-zero offset with end of file, so
     * the JDK's readers, which read the first byte on its own when the size is 0, would see "6" for "64".
     */
    private static long readNr() throws IOException {
        try (FileInputStream in = new FileInputStream(NR.toFile())) {
            byte[] buffer = new byte[64];
            int n = in.read(buffer);
            return Long.parseLong(new String(buffer, 0, Math.max(0, n), StandardCharsets.US_ASCII).trim());
        }
    }

    /** Sets {@code vm.nr_hugepages} in one write. */
    private static void writeNr(String value) throws IOException {
        try (FileOutputStream out = new FileOutputStream(NR.toFile())) {
            out.write((value + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + ": " + out);
        }
    }
}
