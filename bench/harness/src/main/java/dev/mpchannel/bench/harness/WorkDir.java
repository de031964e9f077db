package dev.mpchannel.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A run's temporary directory under /tmp (short Unix socket paths) with the processes started in it: removed at the
 * end of the run, the processes' logs kept, and on Ctrl-C or SIGTERM every process stopped and the directory
 * removed all the same.
 */
public final class WorkDir {
    private final Path path;
    private final Thread cleanup;
    private Procs procs;

    private WorkDir(Path path) {
        this.path = path;
        // on Ctrl-C or SIGTERM: stop every process, then remove the work dir (the normal path does both itself)
        this.cleanup = new Thread(() -> {
            if (procs != null) {
                procs.stopAll();
            }
            try {
                deleteTree(path);
            } catch (IOException e) {
                System.err.println("mpbench: could not remove " + path + ": " + e);
            }
        }, "mpbench-cleanup");
    }

    public static WorkDir create() throws IOException {
        WorkDir work = new WorkDir(Files.createTempDirectory(Path.of("/tmp"), "mpbench-"));
        Runtime.getRuntime().addShutdownHook(work.cleanup);
        return work;
    }

    public Path path() {
        return path;
    }

    /** The run's processes, each logging to {@code logs/} here. */
    public Procs startProcs() throws IOException {
        procs = new Procs(path.resolve("logs"));
        return procs;
    }

    /** Copies the processes' logs (small) to {@code out/logs} for a look afterwards, then removes everything else. */
    public void keepLogsAndDelete(Path out) throws IOException {
        Path logs = out.resolve("logs");
        deleteTree(logs);
        Files.createDirectories(out);
        if (Files.isDirectory(path.resolve("logs"))) {
            Files.createDirectories(logs);
            try (Stream<Path> files = Files.list(path.resolve("logs"))) {
                for (Path f : files.toList()) {
                    Files.copy(f, logs.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        deleteTree(path);
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
