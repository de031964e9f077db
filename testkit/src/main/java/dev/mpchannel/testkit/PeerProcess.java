package dev.mpchannel.testkit;

import dev.mpchannel.api.Channel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
 * in the local Maven repository (see {@link Builder#distJar}).
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

    private PeerProcess(Builder builder, WatchedProcess process) {
        this.channel = builder.channels.get(0);
        this.workDirectory = builder.workDirectory;
        this.ownsWorkDirectory = builder.ownsWorkDirectory;
        this.process = process;
        // a test that ends without close(): the JVM's exit still stops the peer (SIGKILL is the wrapper's business)
        this.reaper = new Thread(this::killQuietly, "mpchannel-testkit-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** A peer whose first (or only) channel is {@code channel}. */
    public static Builder builder(ChannelConfiguration channel) {
        return new Builder(channel);
    }

    /** A secondary of the running channel {@code primary} (see {@link ChannelConfiguration#secondaryOf}). */
    public static Builder secondaryOf(Channel primary) {
        return new Builder(ChannelConfiguration.secondaryOf(primary));
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
    }

    /** Kills the peer's JVM with SIGKILL (no shutdown of any kind) and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.kill();
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
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            if (ownsWorkDirectory) {
                delete(workDirectory);
            }
        }
    }

    @Override
    public String toString() {
        return "peer " + channel + " in " + workDirectory;
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

    /** What a {@link PeerProcess} runs: its bundles, channels, configurations and JVM. */
    public static final class Builder {
        private final List<ChannelConfiguration> channels = new ArrayList<>();
        private final List<Path> bundles = new ArrayList<>();
        private final Map<String, Map<String, String>> configurations = new LinkedHashMap<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final List<String> vmOptions = new ArrayList<>();
        private Path distJar;
        private Path workDirectory;
        private boolean ownsWorkDirectory;

        private Builder(ChannelConfiguration channel) {
            channels.add(channel);
        }

        /** Sets the whitelist of the first channel (see {@link ChannelConfiguration#allowedActions}). */
        public Builder allowedActions(String... patterns) {
            channels.set(0, channels.get(0).allowedActions(patterns));
            return this;
        }

        /** One more channel in the same peer. */
        public Builder channel(ChannelConfiguration another) {
            channels.add(another);
            return this;
        }

        /** A bundle to install and start in the peer (a jar file). */
        public Builder bundle(Path jar) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("no bundle " + jar.toAbsolutePath() + " (is the module packaged?)");
            }
            bundles.add(jar);
            return this;
        }

        /** A bundle from the local Maven repository (see {@link Artifacts#inLocalRepository}). */
        public Builder mavenBundle(String groupId, String artifactId, String version) {
            return bundle(Artifacts.inLocalRepository(groupId, artifactId, version, null));
        }

        /**
         * A configuration for the peer's own components: {@code pid}, or {@code factoryPid-name} for a factory
         * configuration, as in a FileInstall {@code .cfg} file name.
         */
        public Builder configuration(String pid, Map<String, ?> properties) {
            Map<String, String> texts = new LinkedHashMap<>();
            properties.forEach((key, value) -> texts.put(key, String.valueOf(value)));
            configurations.put(pid, texts);
            return this;
        }

        /** A system property of the peer's JVM (and a framework property: the launcher reads both). */
        public Builder systemProperty(String key, String value) {
            systemProperties.put(key, value);
            return this;
        }

        /** An option of the peer's JVM, e.g. {@code -Xmx64m}. */
        public Builder vmOption(String option) {
            vmOptions.add(option);
            return this;
        }

        /** The distribution's executable jar, in place of {@code -Dmpchannel.dist.jar} or the local repository's. */
        public Builder distJar(Path jar) {
            this.distJar = jar;
            return this;
        }

        /** Where the peer keeps its files (kept after {@link PeerProcess#close()}); default a new temp directory. */
        public Builder workDirectory(Path directory) {
            this.workDirectory = directory;
            return this;
        }

        /** Starts the peer's JVM; {@link PeerProcess#awaitConnected} tells when its channel is up. */
        public PeerProcess start() throws IOException {
            ownsWorkDirectory = workDirectory == null;
            if (ownsWorkDirectory) {
                workDirectory = Files.createTempDirectory("mpchannel-peer-");
            }
            Path conf = Files.createDirectories(workDirectory.resolve("conf"));
            for (ChannelConfiguration channel : channels) {
                channel.writeTo(conf);
            }
            for (Map.Entry<String, Map<String, String>> configuration : configurations.entrySet()) {
                Properties file = new Properties();
                file.putAll(configuration.getValue());
                try (OutputStream out = Files.newOutputStream(conf.resolve(configuration.getKey() + ".cfg"))) {
                    file.store(out, null);
                }
            }
            for (Path bundle : bundles) {
                Files.copy(bundle, conf.resolve(bundle.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(vmOptions);
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("felix.fileinstall.dir", conf.toString());
            properties.put("felix.fileinstall.poll", "200");
            properties.put("org.osgi.framework.storage", workDirectory.resolve("felix-cache").toString());
            properties.put("org.osgi.framework.storage.clean", "onFirstInit");
            // the launcher and junixsocket unpack into the temp dir: keep it in the work directory
            properties.put("java.io.tmpdir", Files.createDirectories(workDirectory.resolve("tmp")).toString());
            properties.put("gosh.args", "--nointeractive");
            properties.putAll(systemProperties);
            properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("-jar");
            command.add(dist().toString());
            return new PeerProcess(this, WatchedProcess.start(command, workDirectory.resolve("peer.log"),
                    channels.get(0).name()));
        }

        private Path dist() {
            if (distJar != null) {
                return distJar;
            }
            String configured = System.getProperty("mpchannel.dist.jar");
            if (configured != null && !configured.isBlank()) {
                return Path.of(configured);
            }
            return Artifacts.inLocalRepository(Artifacts.GROUP_ID, "mpchannel-dist", Artifacts.version(), "mpchannel");
        }
    }
}
