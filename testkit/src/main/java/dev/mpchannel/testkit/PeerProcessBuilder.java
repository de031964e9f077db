package dev.mpchannel.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** What a {@link PeerProcess} runs: its bundles, channels, configurations and JVM. */
public final class PeerProcessBuilder {
    final List<ChannelConfiguration> channels = new ArrayList<>();
    private final List<Path> bundles = new ArrayList<>();
    private final Map<String, Map<String, String>> configurations = new LinkedHashMap<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final List<String> vmOptions = new ArrayList<>();
    private Path distJar;
    Path workDirectory;
    boolean ownsWorkDirectory;

    PeerProcessBuilder(ChannelConfiguration channel) {
        channels.add(channel);
    }

    /** Sets the whitelist of the first channel (see {@link ChannelConfiguration#allowedActions}). */
    public PeerProcessBuilder allowedActions(String... patterns) {
        channels.set(0, channels.get(0).allowedActions(patterns));
        return this;
    }

    /** One more channel in the same peer. */
    public PeerProcessBuilder channel(ChannelConfiguration another) {
        channels.add(another);
        return this;
    }

    /** A bundle to install and start in the peer (a jar file). */
    public PeerProcessBuilder bundle(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no bundle " + jar.toAbsolutePath() + " (is the module packaged?)");
        }
        bundles.add(jar);
        return this;
    }

    /** A bundle from the local Maven repository (see {@link Artifacts#inLocalRepository}). */
    public PeerProcessBuilder mavenBundle(String groupId, String artifactId, String version) {
        return bundle(Artifacts.inLocalRepository(groupId, artifactId, version, null));
    }

    /**
     * A configuration for the peer's own components: {@code pid}, or {@code factoryPid-name} for a factory
     * configuration, as in a FileInstall {@code .cfg} file name.
     */
    public PeerProcessBuilder configuration(String pid, Map<String, ?> properties) {
        Map<String, String> texts = new LinkedHashMap<>();
        properties.forEach((key, value) -> texts.put(key, String.valueOf(value)));
        configurations.put(pid, texts);
        return this;
    }

    /** A system property of the peer's JVM (and a framework property: the launcher reads both). */
    public PeerProcessBuilder systemProperty(String key, String value) {
        systemProperties.put(key, value);
        return this;
    }

    /** An option of the peer's JVM, e.g. {@code -Xmx64m}. */
    public PeerProcessBuilder vmOption(String option) {
        vmOptions.add(option);
        return this;
    }

    /** The distribution's executable jar, in place of {@code -Dmpchannel.dist.jar} or the local repository's. */
    public PeerProcessBuilder distJar(Path jar) {
        this.distJar = jar;
        return this;
    }

    /** Where the peer keeps its files (kept after {@link PeerProcess#close()}); default a new temp directory. */
    public PeerProcessBuilder workDirectory(Path directory) {
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
