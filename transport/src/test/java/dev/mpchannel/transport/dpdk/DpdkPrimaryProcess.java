package dev.mpchannel.transport.dpdk;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real DPDK primary (demo/src/main/c/dpdk_primary.c, built here against the installed libdpdk) in its own process,
 * driven through its stdin and read line by line from its stdout. It runs with no hugepages and no PCI, under a
 * file prefix of its own; {@link #close()} kills it and removes its runtime directory.
 */
final class DpdkPrimaryProcess implements AutoCloseable {
    /** Set by CI, where DPDK is installed: a missing DPDK then fails the tests instead of skipping them. */
    static final boolean REQUIRED = Boolean.getBoolean("dpdk.required");
    private static Path binary;

    private final String filePrefix;
    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final long pid;
    private final Path log;

    private DpdkPrimaryProcess(String filePrefix, Process process, Path log) throws Exception {
        this.filePrefix = filePrefix;
        this.log = log;
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        }, "dpdk-primary-stdout");
        reader.setDaemon(true);
        reader.start();
        String ready = next("READY ");
        this.pid = Long.parseLong(ready.substring("READY ".length()).strip());
    }

    /** Builds the DPDK primary once per test run, into target/; skips (or fails, with dpdk.required) without DPDK. */
    static synchronized Path binary() throws Exception {
        if (binary != null) {
            return binary;
        }
        boolean present = new ProcessBuilder("pkg-config", "--exists", "libdpdk").start().waitFor() == 0;
        if (REQUIRED) {
            assertTrue(present, "DPDK is not installed (apt-get install dpdk libdpdk-dev pkg-config)");
        }
        assumeTrue(present, "DPDK tests skipped: no libdpdk (apt-get install dpdk libdpdk-dev pkg-config)");
        // the DPDK application the demo runs too (demo.sh dpdk)
        Path source = Path.of("../demo/src/main/c/dpdk_primary.c").toAbsolutePath();
        Path out = Files.createDirectories(Path.of("target/dpdk").toAbsolutePath()).resolve("dpdk_primary");
        String flags = new String(new ProcessBuilder("pkg-config", "--cflags", "--libs", "libdpdk").start()
                .getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        Process gcc = new ProcessBuilder("sh", "-c", "gcc -O1 -Wall '" + source + "' " + flags + " -o '" + out + "'")
                .redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gcc.waitFor() == 0, "building the DPDK primary failed:\n" + output);
        binary = out;
        return out;
    }

    /** Starts a primary with {@code --file-prefix filePrefix}, and waits until it is ready. */
    static DpdkPrimaryProcess start(Path binary, String filePrefix) throws Exception {
        Path log = binary.resolveSibling(filePrefix + ".log");
        Process process = new ProcessBuilder("timeout", "-s", "KILL", "300", binary.toString(),
                "--no-huge", "-m", "64", "--no-pci", "-l", "0", "--file-prefix", filePrefix, "--vdev", "net_null0",
                "--log-level", "lib.eal:error")
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            return new DpdkPrimaryProcess(filePrefix, process, log);
        } catch (Exception | AssertionError e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw e;
        }
    }

    /** The DPDK process's pid (not that of the {@code timeout} around it). */
    long pid() {
        return pid;
    }

    /** Sends a command line. */
    void command(String line) throws IOException {
        commands.write(line + "\n");
        commands.flush();
    }

    /** The next output line starting with {@code prefix} (others are skipped), within 30 s. */
    String next(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !process.isAlive() && lines.isEmpty()) {
                break;
            }
        }
        throw new AssertionError("the DPDK primary printed no line starting with '" + prefix + "'"
                + (process.isAlive() ? "" : "; it exited with " + process.exitValue()) + "; its log:\n" + log());
    }

    private String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills it with SIGKILL, as a crash would, and waits until it is gone. */
    void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        kill();
        Path runtime = DpdkPaths.of("", filePrefix, uid()).directory();
        if (Files.exists(runtime)) {
            try (Stream<Path> files = Files.walk(runtime)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    static long uid() throws IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    }
}
