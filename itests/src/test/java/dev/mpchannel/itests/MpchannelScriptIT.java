package dev.mpchannel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * mpchannel.sh as a user runs it, each process a JVM of its own with a Gogo console read from a pipe: which bundles
 * run (the demo only with {@code --demo}; the user's from {@code --bundles DIR}, also added and removed while it
 * runs), what {@code --bundles} refuses, and {@code mp:request --fd FILE} answered by another process that read the
 * file through the descriptor.
 *
 * <p>Its processes are not the test kit's {@code PeerProcess}es: the kit starts the distribution's jar itself and
 * keeps each process's stdin for the watcher that kills it with the test, while what is under test here is the
 * script (its options, its refusals and exit codes) and a Gogo console read from stdin.
 */
public class MpchannelScriptIT {
    private static final long LIFETIME_LIMIT_SECONDS = 240;
    private static final long WAIT_MILLIS = 90_000;

    private final List<Process> processes = new ArrayList<>();
    private final String prefix = "script-" + UUID.randomUUID().toString().substring(0, 8);
    private Path work;
    private Path socketDir;

    @Before
    public void createWorkDirectory() throws IOException {
        work = Files.createTempDirectory("mpchannel-itest-script-");
        socketDir = work.resolve("sock");
    }

    @After
    public void stopProcessesAndDeleteFiles() throws Exception {
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        for (Process process : processes) {
            process.waitFor(30, TimeUnit.SECONDS);
        }
        try (Stream<Path> all = Files.walk(work)) {
            all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    public void theDemoBundleIsInstalledButStartedOnlyWithDemo() throws Exception {
        Console plain = start("plain", "primary", "--prefix", prefix, "--socket-dir", socketDir.toString());
        String listed = plain.until("lb -s", out -> out.contains("|mpchannel-demo "));
        assertTrue(listed, listed.lines().anyMatch(line -> line.contains("|Resolved ") && line.contains("|mpchannel-demo ")));

        Console demo = start("demo", "secondary", "--prefix", prefix, "--socket-dir", socketDir.toString(), "--demo");
        listed = demo.until("lb -s", out -> out.contains("|mpchannel-demo "));
        assertTrue(listed, listed.lines().anyMatch(line -> line.contains("|Active ") && line.contains("|mpchannel-demo ")));
    }

    @Test
    public void theBundlesOfTheBundlesDirectoryRunAndFollowItsFiles() throws Exception {
        Path bundles = Files.createDirectories(work.resolve("bundles"));
        bundle(bundles.resolve("one.jar"), "itest.script.one");
        Console console = start("bundles", "primary", "--prefix", prefix, "--socket-dir", socketDir.toString(),
                "--bundles", bundles.toString());
        console.until("lb -s", out -> active(out, "itest.script.one"));

        bundle(work.resolve("two.jar"), "itest.script.two");
        Files.move(work.resolve("two.jar"), bundles.resolve("two.jar")); // whole at once
        console.until("lb -s", out -> active(out, "itest.script.two"));

        Files.delete(bundles.resolve("one.jar"));
        // lb lists by id: one's row, were it there, would come before two's
        console.until("lb -s", out -> active(out, "itest.script.two") && !out.contains("itest.script.one"));
    }

    @Test
    public void aBundlesDirectoryOthersMayWriteIsRefusedInOneLine() throws Exception {
        Path open = Files.createDirectories(work.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Console console = start("open", "primary", "--prefix", prefix, "--bundles", open.toString());
        assertTrue(console.process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, console.process.exitValue());
        assertEquals("mpchannel.sh: --bundles: '" + open + "' is writable by others (mode 777); chmod go-w it\n",
                Files.readString(console.log));

        Path link = Files.createSymbolicLink(work.resolve("link"), Files.createDirectories(work.resolve("real")));
        console = start("link", "primary", "--prefix", prefix, "--bundles", link.toString());
        assertTrue(console.process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, console.process.exitValue());
        assertEquals("mpchannel.sh: --bundles: '" + link + "' is a symbolic link; give the directory itself\n",
                Files.readString(console.log));
    }

    @Test
    public void requestWithFdPassesTheFileToAProcessThatReadsIt() throws Exception {
        String text = "for the secondary's eyes " + UUID.randomUUID();
        Path file = Files.writeString(work.resolve("passed.txt"), text);
        Console secondary = start("fd-secondary", "secondary", "--prefix", prefix, "--socket-dir",
                socketDir.toString(), "--allow", "demo.*", "--demo");
        Console primary = start("fd-primary", "primary", "--prefix", prefix, "--socket-dir", socketDir.toString());
        primary.until("mp:status", out -> out.contains("peers     1"));
        String replied = primary.until("mp:request --fd " + file + " demo.read-fd",
                out -> out.contains("REPLIED") || out.contains("FAILED") || out.contains("Cannot coerce"));
        assertTrue(replied, replied.contains("REPLIED  " + text));
        String read = secondary.until("", out -> out.contains("read through the file descriptor"));
        assertTrue(read, read.contains(text));
    }

    private static boolean active(String listed, String symbolicName) {
        return listed.lines().anyMatch(line -> line.contains("|Active ") && line.contains("|" + symbolicName + " "));
    }

    /** A bundle with nothing but its manifest. */
    private static void bundle(Path jar, String symbolicName) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // the manifest is written by the constructor
        }
    }

    /**
     * Starts {@code mpchannel.sh ARGS} with its stdin a pipe that Gogo reads commands from (an empty gosh.args: a
     * console even without a terminal, that stops the framework when the pipe closes).
     */
    private Console start(String name, String... args) throws IOException {
        Path script = Path.of(System.getProperty("mpchannel.dist.jar")).toAbsolutePath().getParent().getParent()
                .getParent().resolve("mpchannel.sh");
        List<String> command = new ArrayList<>(List.of("timeout", "-s", "KILL", Long.toString(LIFETIME_LIMIT_SECONDS),
                script.toString()));
        command.addAll(List.of(args));
        Path log = work.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("MPCHANNEL_RUN_DIR", Files.createDirectories(work.resolve("run-" + name)).toString());
        builder.environment().put("MPCHANNEL_JAVA_OPTS", "-Dgosh.args=");
        Process process = builder.start();
        processes.add(process);
        return new Console(process, log);
    }

    /** A process's Gogo console: commands to its stdin, its output in a log file. */
    private static final class Console {
        final Process process;
        final Path log;

        Console(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        /**
         * Sends {@code command}, again every second, until the output after one sending matches; returns that
         * output. The framework may still be starting bundles when the first one is read. With an empty command,
         * waits until the whole output matches.
         */
        String until(String command, Predicate<String> done) throws Exception {
            long deadline = System.currentTimeMillis() + WAIT_MILLIS;
            while (true) {
                int from = 0;
                if (!command.isEmpty()) {
                    from = Files.readString(log).length();
                    OutputStream in = process.getOutputStream();
                    in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
                    in.flush();
                }
                String lastOutput = "";
                for (int i = 0; i < 10; i++) {
                    String all = Files.readString(log);
                    lastOutput = all.substring(Math.min(from, all.length()));
                    if (done.test(lastOutput)) {
                        return lastOutput;
                    }
                    assertTrue("mpchannel.sh exited:\n" + all, process.isAlive());
                    Thread.sleep(100);
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("'" + command + "' did not give what was awaited in "
                            + WAIT_MILLIS + " ms; output:\n" + lastOutput);
                }
            }
        }
    }
}
