package dev.mpchannel.testkit;

import dev.mpchannel.api.Channel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A peer in another JVM: the mpchannel distribution's executable Felix jar (core bundles, SCR, ConfigAdmin,
 * FileInstall) with the test's own bundles and channel configurations, which FileInstall installs from the peer's
 * configuration directory. It is killed when the test JVM ends, even by SIGKILL (see {@link #close()}).
 *
 * <pre>{@code
 * try (PeerProcess secondary = PeerProcess.secondaryOf(channel).allowedActions("echo.*")
 *         .bundle(Path.of("target/echo-action.jar")).start()) {
 *     secondary.awaitConnected(TIMEOUT).awaitActionBound("echo.upper", TIMEOUT);
 *     ...
 * }
 * }</pre>
 *
 * The distribution's jar is {@code -Dmpchannel.dist.jar}, else {@code dev.mpchannel:mpchannel-dist:VERSION:jar:mpchannel}
 * in the local Maven repository (see {@link PeerProcessBuilder#distJar}).
 */
public final class PeerProcess implements AutoCloseable {
    /** What a secondary logs once connected to its primary. */
    static final String CONNECTED = "connected to the primary at";
    /** What a primary logs once it listens. */
    static final String LISTENING = "primary listening on";

    private final ChannelConfiguration channel;
    private final Path workDirectory;
    private final boolean ownsWorkDirectory;
    private final WatchedProcess process;
    private final Thread reaper;

    PeerProcess(PeerProcessBuilder builder, WatchedProcess process) {
        this.channel = builder.channels.get(0);
        this.workDirectory = builder.workDirectory;
        this.ownsWorkDirectory = builder.ownsWorkDirectory;
        this.process = process;
        // a test that ends without close(): the JVM's exit still stops the peer (SIGKILL is the wrapper's business)
        this.reaper = new Thread(this::killQuietly, "testkit-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** A peer whose first (or only) channel is {@code channel}. */
    public static PeerProcessBuilder builder(ChannelConfiguration channel) {
        return new PeerProcessBuilder(channel);
    }

    /** A secondary of the running channel {@code primary} (see {@link ChannelConfiguration#secondaryOf}). */
    public static PeerProcessBuilder secondaryOf(Channel primary) {
        return new PeerProcessBuilder(ChannelConfiguration.secondaryOf(primary));
    }

    /** The pid of the peer's JVM: the pid its channel peers see. */
    public long pid() throws InterruptedException {
        return process.command(Duration.ofSeconds(30)).pid();
    }

    /** The peer's JVM process (its arguments, its descendants). */
    public ProcessHandle handle() throws InterruptedException {
        return process.command(Duration.ofSeconds(30));
    }

    /** The peer's first channel. */
    public ChannelConfiguration channel() {
        return channel;
    }

    /** The directory with the peer's configuration, framework cache, temp files and log. */
    public Path workDirectory() {
        return workDirectory;
    }

    /** Everything the peer's JVM wrote to stdout and stderr so far. */
    public String log() {
        return process.log();
    }

    /** The file {@link #log()} reads. */
    public Path logFile() {
        return process.logFile();
    }

    /** Whether the peer's JVM still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The exit code of the peer's JVM (143 after SIGTERM, 137 after SIGKILL).
     *
     * @throws IllegalThreadStateException if it still runs
     */
    public int exitValue() {
        return process.exitValue();
    }

    /**
     * Waits until the peer's first channel is connected: a secondary to its primary, a primary listening (with role
     * {@code auto}, either). Fails with the peer's log if it ends first or the timeout passes.
     */
    public PeerProcess awaitConnected(Duration timeout) throws InterruptedException {
        String secondary = "channel '" + channel.name() + "': " + CONNECTED;
        String primary = "channel '" + channel.name() + "': " + LISTENING;
        String role = channel.role();
        process.awaitLog(log -> (!role.equals("primary") && log.contains(secondary))
                || (!role.equals("secondary") && log.contains(primary)),
                "peer pid " + pid() + ": channel '" + channel.name() + "' connected", timeout);
        return this;
    }

    /** Waits until the peer has bound {@code action} (its service registered and on the whitelist). */
    public PeerProcess awaitActionBound(String action, Duration timeout) throws InterruptedException {
        return awaitLogged("action '" + action + "' bound", 1, timeout);
    }

    /** Waits until the peer's log holds {@code text} at least {@code times} times. */
    public PeerProcess awaitLogged(String text, int times, Duration timeout) throws InterruptedException {
        process.awaitLog(log -> occurrences(log, text) >= times,
                "peer pid " + pid() + ": '" + text + "' " + times + " time(s)", timeout);
        return this;
    }

    /**
     * Stops the peer as an operator would (SIGTERM: its framework stops, its channels say goodbye), killing it if it
     * has not ended after {@code grace}.
     */
    public void stop(Duration grace) throws InterruptedException {
        process.stop(grace);
        retire();
    }

    /** Kills the peer's JVM with SIGKILL (no shutdown of any kind) and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.kill();
        retire();
    }

    /**
     * Stops the peer (SIGTERM, then SIGKILL after 10 s) and removes its work directory unless the builder was given
     * one. Without this call the peer is still killed when the test JVM exits (a shutdown hook) or dies (the wrapper
     * sees its stdin close).
     */
    @Override
    public void close() throws InterruptedException {
        try {
            process.stop(Duration.ofSeconds(10));
        } finally {
            retire();
            if (ownsWorkDirectory) {
                delete(workDirectory);
            }
        }
    }

    @Override
    public String toString() {
        return "peer " + channel + " in " + workDirectory;
    }

    /** The peer has ended: no shutdown hook of the test JVM needs to hold on to it any more. */
    private void retire() {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private void killQuietly() {
        try {
            process.kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    static void delete(Path directory) {
        try (Stream<Path> all = Files.walk(directory)) {
            all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException gone) {
            // nothing left to delete
        }
    }
}
