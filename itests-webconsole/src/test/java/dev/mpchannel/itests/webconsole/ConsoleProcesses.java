package dev.mpchannel.itests.webconsole;

import dev.mpchannel.testkit.ChannelConfiguration;
import dev.mpchannel.testkit.PeerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The processes of one test, each with its own files under one temp directory: the primary that serves the console,
 * started as a user starts it ({@code mpchannel.sh --conf DIR --demo --console PORT}), and secondaries, the test kit's
 * {@link PeerProcess}es. The primary is not a {@code PeerProcess}: the kit starts the distribution's jar itself, and
 * what is under test here includes the script's {@code --console} (the console's jar, its port, its defaults).
 * {@link #close()} stops them all and removes the directory; a JVM shutdown hook and coreutils' {@code timeout} make
 * sure the primary never outlives a test run that dies before that (the kit sees to its peers).
 */
final class ConsoleProcesses implements AutoCloseable {
    private static final long LIFETIME_LIMIT_SECONDS = 300;

    private final Path script;
    private final Path workDir;
    private final List<Process> scripts = new ArrayList<>();
    private final List<PeerProcess> peers = new ArrayList<>();
    private final Thread reaper = new Thread(this::destroyScripts, "webconsole-it-reaper");

    ConsoleProcesses(Path script) throws IOException {
        this.script = script;
        this.workDir = Files.createTempDirectory("mpchannel-webconsole-it-");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** The directory the channels' sockets go into. */
    Path socketDir() throws IOException {
        return Files.createDirectories(workDir.resolve("sock"));
    }

    /**
     * Starts {@code mpchannel.sh --conf DIR --demo --console PORT} with {@code channel} and the files {@code configs}
     * (name to content) in DIR; {@code --demo}: the demo bundle whose actions and scenario move the counters the tab
     * shows.
     */
    void startConsole(ChannelConfiguration channel, Map<String, String> configs, int port) throws IOException {
        Path conf = Files.createDirectories(workDir.resolve("conf-console"));
        channel.writeTo(conf);
        for (Map.Entry<String, String> file : configs.entrySet()) {
            Files.writeString(conf.resolve(file.getKey()), file.getValue());
        }
        ProcessBuilder builder = new ProcessBuilder("timeout", "-s", "KILL", Long.toString(LIFETIME_LIMIT_SECONDS),
                script.toString(), "--conf", conf.toString(), "--demo", "--console", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("console.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE); // not a TTY: Gogo stays silent, the JVM runs on
        // the Felix cache and the temp files in a dir this class removes (no cleanup watcher from the script)
        builder.environment().put("MPCHANNEL_RUN_DIR", Files.createDirectories(workDir.resolve("run-console"))
                .toString());
        scripts.add(builder.start());
    }

    /** Starts a secondary of {@code channel} with the demo bundle started (its actions answer the primary's demo). */
    PeerProcess startSecondary(String name, ChannelConfiguration channel) throws IOException {
        PeerProcess peer = PeerProcess.builder(channel.withRole("secondary"))
                .systemProperty("launcher.install.only", "")
                .workDirectory(workDir.resolve(name))
                .start();
        peers.add(peer);
        return peer;
    }

    String logs() {
        StringBuilder all = new StringBuilder();
        try {
            all.append("--- console.log\n").append(Files.readString(workDir.resolve("console.log")));
        } catch (IOException e) {
            all.append("(console.log unreadable: ").append(e).append(")\n");
        }
        for (PeerProcess peer : peers) {
            all.append("--- ").append(peer.workDirectory().getFileName()).append('\n').append(peer.log());
        }
        return all.toString();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (PeerProcess peer : peers) {
            peer.kill();
        }
        destroyScripts();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        try (Stream<Path> all = Files.walk(workDir)) {
            all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private void destroyScripts() {
        for (Process process : scripts) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        for (Process process : scripts) {
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
