package dev.mpchannel.itests;

import dev.mpchannel.testkit.ChannelConfiguration;
import dev.mpchannel.testkit.PeerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The other processes of one channel: each a {@link PeerProcess} of the test kit (the dist's executable Felix jar
 * with its own configuration directory, killed when the test JVM ends however it ends) that allows the demo's
 * actions. {@link #close()} kills them all and removes their files.
 */
final class SecondaryProcesses implements AutoCloseable {
    /** The demo's actions that the tests ask for as soon as a process is connected. */
    static final List<String> DEMO_ACTIONS = List.of("demo.echo", "demo.read-fd", "demo.tell", "demo.ask");

    private final Path socketDir;
    private final String prefix;
    private final Path workDir;
    private final List<PeerProcess> processes = new ArrayList<>();

    SecondaryProcesses(Path socketDir, String prefix) throws IOException {
        this.socketDir = socketDir;
        this.prefix = prefix;
        this.workDir = Files.createTempDirectory("mpchannel-itest-secondaries-");
    }

    /** Starts a secondary that allows the demo's actions. */
    PeerProcess start() throws IOException {
        return start("secondary");
    }

    /** Starts a process configured with {@code role} (secondary, auto or primary) that allows the demo's actions. */
    PeerProcess start(String role) throws IOException {
        int index = processes.size() + 1;
        PeerProcess process = PeerProcess.builder(ChannelConfiguration.of(role, prefix).socketDir(socketDir)
                .allowedActions("demo.*")).workDirectory(workDir.resolve("secondary-" + index))
                // start the demo bundle too (the distribution only installs it): its actions answer the tests
                .systemProperty("launcher.install.only", "").start();
        processes.add(process);
        return process;
    }

    /** Kills the JVM of {@code process} with SIGKILL (no shutdown of any kind) and waits until it is gone. */
    static void kill(PeerProcess process) throws InterruptedException {
        process.kill();
    }

    /** The pid of the process's JVM: the process the primary sees as its peer. */
    static long jvmPid(PeerProcess process) throws InterruptedException {
        return process.pid();
    }

    /**
     * If {@code pid} is one of these processes, waits until it has bound the demo's actions. A process connects as
     * soon as its channel starts, which its configuration decides, and the demo bundle's actions may be bound a moment
     * later: a request in between is ignored by it.
     */
    void awaitDemoActions(long pid, Duration timeout) throws InterruptedException {
        for (PeerProcess process : processes) {
            if (process.pid() == pid) {
                for (String action : DEMO_ACTIONS) {
                    process.awaitActionBound(action, timeout);
                }
            }
        }
    }

    String logs() {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < processes.size(); i++) {
            all.append("--- secondary-").append(i + 1).append(".log\n").append(processes.get(i).log());
        }
        return all.toString();
    }

    @Override
    public void close() throws IOException {
        try {
            for (PeerProcess process : processes) {
                process.kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> all = Files.walk(workDir)) {
            all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
