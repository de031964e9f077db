package dev.mpchannel.testkit.paxexam;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import dev.mpchannel.testkit.Artifacts;
import dev.mpchannel.testkit.ChannelConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ops4j.pax.exam.Option;

/**
 * Pax Exam options for a test that runs in a framework with mpchannel (Felix in the native container):
 *
 * <pre>{@code
 * @Configuration
 * public Option[] config() {
 *     return options(junitBundles(), MpChannelOptions.mpchannel(ChannelConfiguration.primary("echo")
 *             .inNewTempDirectory().allowedActions("echo.*")));
 * }
 * }</pre>
 *
 * Each bundle is installed from its jar on the test's class path (the kit depends on them all, so Maven puts them
 * there), else by its {@code mvn:} coordinates, in the version the kit was built with.
 */
public final class MpChannelOptions {
    private static final String FELIX = "org.apache.felix";
    private static final String OSGI = "org.osgi";

    private MpChannelOptions() {
    }

    /** The mpchannel bundles, SCR, ConfigAdmin and this kit, and then a channel for each of {@code channels}. */
    public static Option mpchannel(ChannelConfiguration... channels) {
        return channels.length == 0 ? bundles() : composite(bundles(), channels(channels));
    }

    /**
     * The bundles: ConfigAdmin, SCR with what it imports, mpchannel's api, transport and both sides (each channel's
     * configuration picks the side that runs), and this kit (for {@code PeerProcess} and the assertions in the test).
     */
    public static Option bundles() {
        List<Option> bundles = new ArrayList<>();
        bundles.add(provision(FELIX, "org.apache.felix.configadmin"));
        bundles.add(provision(OSGI, "org.osgi.util.function"));
        bundles.add(provision(OSGI, "org.osgi.util.promise"));
        bundles.add(provision(OSGI, "org.osgi.service.component"));
        bundles.add(provision(FELIX, "org.apache.felix.scr"));
        for (String module : List.of("mpchannel-api", "mpchannel-transport", "mpchannel-impl-primary",
                "mpchannel-impl-secondary")) {
            bundles.add(provision(Artifacts.GROUP_ID, module));
        }
        bundles.add(testkit());
        return composite(bundles.toArray(Option[]::new));
    }

    /**
     * The channels, as factory configurations that FileInstall (installed with them) reads from a new temp directory
     * when the framework starts. Give every channel of the test to this one call: a second call's directory would
     * replace the first's.
     */
    public static Option channels(ChannelConfiguration... channels) {
        Path directory;
        try {
            directory = Files.createTempDirectory("mpchannel-test-config-");
            directory.toFile().deleteOnExit();
            for (ChannelConfiguration channel : channels) {
                channel.writeTo(directory).toFile().deleteOnExit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the channels' configuration: " + e.getMessage(), e);
        }
        return composite(
                provision(FELIX, "org.apache.felix.fileinstall"),
                frameworkProperty("felix.fileinstall.dir").value(directory.toString()),
                frameworkProperty("felix.fileinstall.noInitialDelay").value("true"),
                frameworkProperty("felix.fileinstall.poll").value("200"),
                // the channel's own configuration stays as the test wrote it
                frameworkProperty("felix.fileinstall.enableConfigSave").value("false"),
                frameworkProperty("felix.fileinstall.log.level").value("1"));
    }

    /**
     * One bundle: its jar on the class path, else {@code mvn:groupId/artifactId/version} (the local repository, or
     * Pax Exam's remote ones). A third party's jar is taken from the class path only in the version this kit was built
     * with: Maven's nearest-wins may have put another there (SCR needs the promise API 1.1 or later, for one).
     */
    static Option provision(String groupId, String artifactId) {
        String version = Artifacts.versionOf(artifactId);
        return Artifacts.onClassPath(MpChannelOptions.class.getClassLoader(), groupId, artifactId)
                .filter(jar -> groupId.equals(Artifacts.GROUP_ID)
                        || jar.getFileName().toString().equals(artifactId + "-" + version + ".jar"))
                .map(jar -> (Option) bundle(jar.toUri().toString()))
                .orElseGet(() -> mavenBundle(groupId, artifactId, version));
    }

    private static Option testkit() {
        try {
            Path self = Path.of(MpChannelOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(self)) {
                return bundle(self.toUri().toString());
            }
        } catch (URISyntaxException | RuntimeException e) {
            // not loaded from a jar: take the repository's
        }
        return mavenBundle(Artifacts.GROUP_ID, "mpchannel-testkit", Artifacts.version());
    }
}
