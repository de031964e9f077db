package dev.mpchannel.testkit.karaf;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;

import dev.mpchannel.testkit.Artifacts;
import dev.mpchannel.testkit.ChannelConfiguration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ops4j.pax.exam.Option;

/**
 * Pax Exam options for a test in Apache Karaf (Pax Exam's Karaf container):
 *
 * <pre>{@code
 * @Configuration
 * public Option[] config() {
 *     return options(KarafOptions.karaf("4.4.10"), KarafOptions.mpchannel(
 *             ChannelConfiguration.primary("echo").inNewTempDirectory().allowedActions("echo.*")));
 * }
 * }</pre>
 *
 * The features come from {@code mvn:dev.mpchannel/mpchannel-features/VERSION/xml/features}, which Karaf resolves
 * through its own Maven settings ({@code etc/org.ops4j.pax.url.mvn.cfg}), pointed at the test's local repository;
 * each channel is a file {@code etc/dev.mpchannel.channel-NAME.cfg}, as an operator would write it. A
 * {@code PeerProcess} started inside Karaf's JVM takes the distribution's jar from
 * {@code PeerProcessBuilder.distJar}, or from {@code mpchannel.dist.jar} passed with {@code propagateSystemProperty}.
 */
public final class KarafOptions {
    private static final String MAVEN_CFG = "etc/org.ops4j.pax.url.mvn.cfg";

    private KarafOptions() {
    }

    /**
     * Apache Karaf {@code version} ({@code org.apache.karaf:apache-karaf:VERSION:tar.gz}, which the test's pom
     * declares so that Maven fetches it), run with the JVM options its own {@code bin/karaf} passes on Java 9 and
     * later: Pax Exam's Karaf container passes none since 4.12, and without them Karaf 4.4 does not come up. Its local
     * console and remote shell are off. Karaf 4.4 does not start on Java 23 and later (its JAAS code calls
     * {@code Subject.getSubject}).
     */
    public static Option karaf(String version) {
        return composite(
                karafDistributionConfiguration()
                        .frameworkUrl(maven("org.apache.karaf", "apache-karaf", version).type("tar.gz"))
                        .karafVersion(version)
                        .name("Apache Karaf")
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                // relative paths: Karaf's working directory is its home
                vmOptions(
                        "-Xmx512m",
                        "-Djava.io.tmpdir=data/tmp",
                        "--add-reads=java.xml=java.logging",
                        "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                        "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + version + ".jar",
                        "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + version + ".jar",
                        "--add-opens", "java.base/java.security=ALL-UNNAMED",
                        "--add-opens", "java.base/java.net=ALL-UNNAMED",
                        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                        "--add-opens", "java.base/java.util=ALL-UNNAMED",
                        "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
                        "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
                        "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
                        "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
                        "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                        "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
                        "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED"));
    }

    /**
     * The features {@code mpchannel-primary} and {@code mpchannel-secondary} (each channel's role picks the side
     * that runs), this kit, and the channels.
     */
    public static Option mpchannel(ChannelConfiguration... channels) {
        return composite(features("mpchannel-primary", "mpchannel-secondary"), testkit(), channels(channels));
    }

    /**
     * mpchannel's features repository, with {@code names} installed at boot (e.g. {@code mpchannel-shell}), and Karaf
     * reading the test's local Maven repository ({@link Artifacts#localRepository()}): mpchannel is not on Maven
     * Central, and Karaf would otherwise read {@code ~/.m2/repository} whatever {@code -Dmaven.repo.local} said.
     */
    public static Option features(String... names) {
        return composite(localRepository(),
                org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features(maven().groupId(Artifacts.GROUP_ID)
                        .artifactId("mpchannel-features").type("xml").classifier("features")
                        .version(Artifacts.version()), names));
    }

    /** This kit as a bundle, for {@code PeerProcess} and the assertions inside Karaf. */
    public static Option testkit() {
        return mavenBundle(Artifacts.GROUP_ID, "mpchannel-testkit", Artifacts.version());
    }

    /** Each channel as {@code etc/dev.mpchannel.channel-NAME.cfg}. */
    public static Option channels(ChannelConfiguration... channels) {
        List<Option> edits = new ArrayList<>();
        for (ChannelConfiguration channel : channels) {
            channel.properties().forEach((key, value) ->
                    edits.add(editConfigurationFilePut("etc/" + channel.fileName(), key, value)));
        }
        return composite(edits.toArray(Option[]::new));
    }

    /**
     * Karaf resolves every {@code mvn:} URL without the network: first from {@code repositories} (directories in
     * Maven layout, read in place: e.g. a build's copy of the artifacts it has just made, which no Maven repository
     * holds yet during {@code mvn verify}), then from Karaf's own {@code system/} folder, then from the test's local
     * repository. Whatever else Karaf needs (the {@code scr} feature's bundles) must be in the local repository
     * before the test starts.
     */
    public static Option offline(Path... repositories) {
        StringBuilder defaults = new StringBuilder();
        for (int i = 0; i < repositories.length; i++) {
            defaults.append("file:").append(repositories[i].toAbsolutePath()).append("@id=test-").append(i + 1)
                    .append("@snapshots,");
        }
        // Karaf's own default repositories, as in its etc/org.ops4j.pax.url.mvn.cfg
        defaults.append("${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots,"
                + "${karaf.data.uri}kar@id=kar.repository@multi@snapshots,"
                + "${karaf.base.uri}${karaf.default.repository}@id=child.system.repository@snapshots");
        return composite(localRepository(),
                editConfigurationFilePut(MAVEN_CFG, "org.ops4j.pax.url.mvn.defaultRepositories", defaults.toString()),
                editConfigurationFilePut(MAVEN_CFG, "org.ops4j.pax.url.mvn.offline", "true"));
    }

    /** Karaf's Maven resolver reads the test's local repository. */
    private static Option localRepository() {
        return editConfigurationFilePut(MAVEN_CFG, "org.ops4j.pax.url.mvn.localRepository",
                Artifacts.localRepository().toAbsolutePath().toString());
    }
}
