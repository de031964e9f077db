package dev.mpchannel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * What an operator reads in the log of the distribution ({@code dist}'s executable jar, started as mpchannel.sh
 * starts it, each process a JVM of its own): a wrong configuration is one line without a stack trace and starts no
 * channel; an ordinary primary and secondary log no error at all (SCR's among them).
 */
public class ConfigurationLogIT {
    private static final long LIFETIME_LIMIT_SECONDS = 240;
    private static final long WAIT_MILLIS = 90_000;

    private final List<Process> processes = new ArrayList<>();
    private final String prefix = "cfglog-" + UUID.randomUUID().toString().substring(0, 8);
    private Path work;
    private Path socketDir;

    @Before
    public void createWorkDirectory() throws IOException {
        work = Files.createTempDirectory("mpchannel-itest-config-");
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
    public void aWrongConfigurationIsOneLineWithoutStackTraceAndStartsNoChannel() throws Exception {
        Path log = start("bad", String.join("\n",
                "role=primary",
                "prefix=" + prefix,
                "socket.dir=" + socketDir,
                "max.message.bytes=lots",
                "allowed.action=demo.*", ""));
        String expected = "channel '" + prefix + "' (dev.mpchannel.channel~" + prefix
                + "): max.message.bytes=lots is not a number (allowed: 0..2147483583)";
        String text = awaitLine(log, expected);
        awaitLine(log, "channel '" + prefix + "' (dev.mpchannel.channel~" + prefix
                + "): unknown key allowed.action is ignored; did you mean allowed.actions?");
        List<String> errors = text.lines().filter(line -> line.contains("ERROR")).toList();
        assertEquals(text, 1, errors.size());
        assertTrue(text, errors.get(0).contains(expected));
        assertFalse("a stack trace in\n" + text, text.lines().anyMatch(line -> line.startsWith("\tat ")
                || line.contains("Exception")));
        assertFalse("a channel started", Files.exists(socketDir.resolve(prefix + ".sock")));
        assertFalse(text, text.contains("listening on"));
    }

    @Test
    public void aSocketDirectoryThatCannotBeCreatedIsOneLineWithoutStackTrace() throws Exception {
        String proc = "/proc/" + prefix; // absolute, its parent a directory, and nothing can be created there
        Path log = start("proc", String.join("\n", "role=primary", "prefix=" + prefix, "socket.dir=" + proc, ""));
        String expected = "channel '" + prefix + "' could not start as the primary: " + proc
                + ": no such file or directory, and it cannot be created there";
        String text = awaitLine(log, expected);
        assertEquals(text, 1, text.lines().filter(line -> line.contains("ERROR")).count());
        assertFalse("a stack trace in\n" + text, text.lines().anyMatch(line -> line.startsWith("\tat ")
                || line.contains("Exception")));
    }

    @Test
    public void anOrdinaryPrimaryAndSecondaryLogNoError() throws Exception {
        String channel = String.join("\n",
                "prefix=" + prefix,
                "socket.dir=" + socketDir,
                "allowed.actions=demo.*", "");
        Path primaryLog = start("primary", "role=primary\n" + channel);
        awaitLine(primaryLog, "primary listening on " + socketDir.resolve(prefix + ".sock"));
        Path secondaryLog = start("secondary", "role=secondary\n" + channel);
        awaitLine(secondaryLog, "channel '" + prefix + "': connected to the primary");
        // demo.ask and demo.tell reference the secondary's Channel: their binding was SCR's circular reference
        awaitLine(secondaryLog, "channel '" + prefix + "': action 'demo.ask' bound");
        String secondary = awaitLine(secondaryLog, "channel '" + prefix + "': action 'demo.tell' bound");
        String primary = Files.readString(primaryLog);
        for (String text : List.of(primary, secondary)) {
            assertFalse(text, text.contains("ERROR"));
            assertFalse(text, text.contains("Circular reference"));
            assertFalse(text, text.lines().anyMatch(line -> line.startsWith("\tat ")));
        }
    }

    /** Starts a dist process with one channel configured by {@code cfg}; returns its log. */
    private Path start(String name, String cfg) throws IOException {
        Path conf = Files.createDirectories(work.resolve("conf-" + name));
        Files.writeString(conf.resolve("dev.mpchannel.demo.cfg"), "run=false\n");
        Files.writeString(conf.resolve(".channel.tmp"), cfg);
        // FileInstall ignores dot files: the .cfg appears whole
        Files.move(conf.resolve(".channel.tmp"), conf.resolve("dev.mpchannel.channel-" + prefix + ".cfg"));
        Path log = work.resolve(name + ".log");
        Process process = new ProcessBuilder(
                "timeout", "-s", "KILL", Long.toString(LIFETIME_LIMIT_SECONDS),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dfelix.fileinstall.dir=" + conf,
                "-Dfelix.fileinstall.poll=200",
                "-Dfelix.fileinstall.noInitialDelay=true",
                "-Dfelix.fileinstall.log.level=1",
                "-Dorg.osgi.framework.storage=" + work.resolve("felix-cache-" + name),
                "-Dorg.osgi.framework.storage.clean=onFirstInit",
                "-Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp-" + name)),
                "-Dgosh.args=--nointeractive",
                "-Dlauncher.install.only=", // start the demo bundle too: its actions answer the tests
                "-Dorg.slf4j.simpleLogger.logFile=System.err",
                "-jar", System.getProperty("mpchannel.dist.jar"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        processes.add(process);
        return log;
    }

    /** Waits until the log has a line containing {@code text}; returns the whole log. */
    private static String awaitLine(Path log, String text) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (true) {
            String all = Files.exists(log) ? Files.readString(log) : "";
            if (all.contains(text)) {
                return all;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line with \"" + text + "\" in\n" + all);
            }
            Thread.sleep(100);
        }
    }
}
