package dev.mpchannel.testkit;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.ChannelStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * One channel's configuration, an instance of the factory PID {@value #FACTORY_PID}: its name (the {@code prefix}),
 * its role and any other key of the README's configuration table. Immutable: every {@code with...} returns a copy.
 * The same value configures a channel in the test's framework ({@code MpChannelOptions.channels}, Karaf's
 * {@code KarafOptions.channels}) and in a {@link PeerProcess}.
 *
 * <pre>{@code
 * ChannelConfiguration echo = ChannelConfiguration.primary("echo").inNewTempDirectory().allowedActions("echo.*");
 * ChannelConfiguration itsSecondary = echo.withRole("secondary");
 * }</pre>
 */
public final class ChannelConfiguration {
    /** The factory PID of a channel. */
    public static final String FACTORY_PID = "dev.mpchannel.channel";

    // a name goes into a file name and an LDAP filter: keep it to characters that are safe in both
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Map<String, String> properties;

    private ChannelConfiguration(Map<String, String> properties) {
        this.properties = Collections.unmodifiableMap(properties);
    }

    /** A channel named {@code name} on which this process is the primary. */
    public static ChannelConfiguration primary(String name) {
        return of("primary", name);
    }

    /** A channel named {@code name} on which this process is a secondary. */
    public static ChannelConfiguration secondary(String name) {
        return of("secondary", name);
    }

    /** A channel named {@code name} with {@code role} {@code primary}, {@code secondary} or {@code auto}. */
    public static ChannelConfiguration of(String role, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("channel name '" + name + "' is not 1 to 64 of [A-Za-z0-9._-]"
                    + " starting with a letter or digit");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("role", checkRole(role));
        properties.put("prefix", name);
        return new ChannelConfiguration(properties);
    }

    /**
     * A secondary of the running channel {@code primary}: same name and socket directory, read from its status. Its
     * whitelist is not readable there: add the actions this secondary may run with {@link #allowedActions}.
     */
    public static ChannelConfiguration secondaryOf(Channel primary) {
        ChannelStatus status = primary.status();
        Path socket = Path.of(status.socketPath());
        return secondary(status.name()).socketDir(socket.getParent());
    }

    /** A copy with {@code role}: {@code primary}, {@code secondary} or {@code auto}. */
    public ChannelConfiguration withRole(String role) {
        return with("role", checkRole(role));
    }

    /** A copy whose socket lives in {@code directory} ({@code socket.dir}). */
    public ChannelConfiguration socketDir(Path directory) {
        return with("socket.dir", directory.toAbsolutePath().toString());
    }

    /**
     * A copy whose socket lives in a new private (0700) temp directory, so that tests running at the same time never
     * meet. The directory is removed, with what the channel left in it (its lock file stays by design), when the JVM
     * exits.
     */
    public ChannelConfiguration inNewTempDirectory() {
        try {
            Path directory = Files.createTempDirectory("mpchannel-test-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> removeTree(directory), "testkit-cleanup"));
            return socketDir(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("no temp directory for the channel's socket: " + e.getMessage(), e);
        }
    }

    /** Removes a directory this kit made and what is in it, never following a link out of it. */
    private static void removeTree(Path directory) {
        try (java.util.stream.Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            // the JVM is exiting: what could not be removed stays in the temp directory
        }
    }

    /** A copy whose whitelist ({@code allowed.actions}) is {@code patterns}: action names or globs. */
    public ChannelConfiguration allowedActions(String... patterns) {
        return with("allowed.actions", List.of(patterns));
    }

    /**
     * A copy with one more key (see the README's configuration table). An array or a collection becomes a
     * comma-separated list, as in a {@code .cfg} file.
     */
    public ChannelConfiguration with(String key, Object value) {
        if (key.equals("prefix")) {
            throw new IllegalArgumentException("the prefix is the channel's name: make a new configuration");
        }
        Map<String, String> copy = new LinkedHashMap<>(properties);
        copy.put(key, text(value));
        return new ChannelConfiguration(copy);
    }

    /** The channel's name, its {@code prefix} (the {@value Channel#NAME} service property). */
    public String name() {
        return properties.get("prefix");
    }

    /** {@code primary}, {@code secondary} or {@code auto}. */
    public String role() {
        return properties.get("role");
    }

    /** The socket directory, if one was set. */
    public Optional<Path> socketDir() {
        return Optional.ofNullable(properties.get("socket.dir")).map(Path::of);
    }

    /** Every key and value, in the order they were set. */
    public Map<String, String> properties() {
        return properties;
    }

    /** An LDAP filter that matches this channel's {@link Channel} service, e.g. for Pax Exam's {@code @Filter}. */
    public String serviceFilter() {
        String byName = "(" + Channel.NAME + "=" + name() + ")";
        return role().equals("auto") ? byName : "(&" + byName + "(" + Channel.ROLE + "=" + role() + "))";
    }

    /** The name FileInstall and Karaf give a factory configuration's file: {@code dev.mpchannel.channel-NAME.cfg}. */
    public String fileName() {
        return FACTORY_PID + "-" + name() + ".cfg";
    }

    /** Writes this configuration as {@link #fileName()} into {@code directory}; returns the file. */
    public Path writeTo(Path directory) throws IOException {
        Properties file = new Properties();
        file.putAll(properties);
        Path target = directory.resolve(fileName());
        try (OutputStream out = Files.newOutputStream(target)) {
            file.store(out, "mpchannel channel '" + name() + "' (mpchannel-testkit)");
        }
        return target;
    }

    @Override
    public String toString() {
        return FACTORY_PID + "~" + name() + properties;
    }

    private static String checkRole(String role) {
        if (!List.of("primary", "secondary", "auto").contains(role)) {
            throw new IllegalArgumentException("role '" + role + "' is none of primary, secondary, auto");
        }
        return role;
    }

    private static String text(Object value) {
        if (value instanceof Collection<?> values) {
            List<String> texts = new ArrayList<>();
            values.forEach(v -> texts.add(String.valueOf(v)));
            return String.join(",", texts);
        }
        if (value != null && value.getClass().isArray()) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                values.add(Array.get(value, i));
            }
            return text(values);
        }
        return String.valueOf(value);
    }
}
