package dev.mpchannel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.mpchannel.testkit.ChannelConfiguration;
import dev.mpchannel.testkit.PeerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * What an operator reads in the log of the distribution ({@code dist}'s executable jar, each process a JVM of its own
 * started by the test kit's {@link PeerProcess} with the FileInstall and logging settings mpchannel.sh passes): a
 * wrong configuration is one line without a stack trace and starts no channel; an ordinary primary and secondary log
 * no error at all (SCR's among them).
 */
public class ConfigurationLogIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final List<PeerProcess> processes = new ArrayList<>();
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
        for (PeerProcess process : processes) {
            process.kill();
        }
        try (Stream<Path> all = Files.walk(work)) {
            all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    public void aWrongConfigurationIsOneLineWithoutStackTraceAndStartsNoChannel() throws Exception {
        PeerProcess bad = start("bad", ChannelConfiguration.primary(prefix).socketDir(socketDir)
                .with("max.message.bytes", "lots").with("allowed.action", "demo.*"));
        String expected = "channel '" + prefix + "' (dev.mpchannel.channel~" + prefix
                + "): max.message.bytes=lots is not a number (allowed: 0..2147483583)";
        bad.awaitLogged(expected, 1, WAIT).awaitLogged("channel '" + prefix + "' (dev.mpchannel.channel~" + prefix
                + "): unknown key allowed.action is ignored; did you mean allowed.actions?", 1, WAIT);
        String text = bad.log();
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
        Path proc = Path.of("/proc", prefix); // absolute, its parent a directory, and nothing can be created there
        PeerProcess process = start("proc", ChannelConfiguration.primary(prefix).socketDir(proc));
        String text = process.awaitLogged("channel '" + prefix + "' could not start as the primary: " + proc
                + ": no such file or directory, and it cannot be created there", 1, WAIT).log();
        assertEquals(text, 1, text.lines().filter(line -> line.contains("ERROR")).count());
        assertFalse("a stack trace in\n" + text, text.lines().anyMatch(line -> line.startsWith("\tat ")
                || line.contains("Exception")));
    }

    @Test
    public void anOrdinaryPrimaryAndSecondaryLogNoError() throws Exception {
        ChannelConfiguration channel = ChannelConfiguration.primary(prefix).socketDir(socketDir)
                .allowedActions("demo.*");
        PeerProcess primary = start("primary", channel).awaitLogged("primary listening on "
                + socketDir.resolve(prefix + ".sock"), 1, WAIT);
        PeerProcess secondary = start("secondary", channel.withRole("secondary")).awaitConnected(WAIT)
                // demo.ask and demo.tell reference the secondary's Channel: their binding was SCR's circular reference
                .awaitActionBound("demo.ask", WAIT).awaitActionBound("demo.tell", WAIT);
        for (String text : List.of(primary.log(), secondary.log())) {
            assertFalse(text, text.contains("ERROR"));
            assertFalse(text, text.contains("Circular reference"));
            assertFalse(text, text.lines().anyMatch(line -> line.startsWith("\tat ")));
        }
    }

    /** Starts a dist process with {@code channel} and the demo bundle (its scenario off), logging as mpchannel.sh. */
    private PeerProcess start(String name, ChannelConfiguration channel) throws IOException {
        PeerProcess process = PeerProcess.builder(channel)
                .configuration("dev.mpchannel.demo", Map.of("run", "false"))
                .systemProperty("felix.fileinstall.noInitialDelay", "true")
                .systemProperty("felix.fileinstall.log.level", "1")
                .systemProperty("launcher.install.only", "") // start the demo bundle too: its actions are bound
                .systemProperty("org.slf4j.simpleLogger.logFile", "System.err")
                .workDirectory(work.resolve(name))
                .start();
        processes.add(process);
        return process;
    }
}
