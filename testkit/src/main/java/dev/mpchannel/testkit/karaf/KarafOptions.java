package dev.mpchannel.testkit.karaf;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import dev.mpchannel.testkit.Artifacts;
import dev.mpchannel.testkit.ChannelConfiguration;
import java.util.ArrayList;
import java.util.List;
import org.ops4j.pax.exam.Option;

/**
 * Pax Exam options for a test in Apache Karaf (next to {@code karafDistributionConfiguration()}):
 *
 * <pre>{@code
 * KarafOptions.mpchannel(ChannelConfiguration.primary("echo").socketDir(dir).allowedActions("echo.*"))
 * }</pre>
 *
 * The features come from {@code mvn:dev.mpchannel/mpchannel-features/VERSION/xml/features}, which Karaf resolves
 * through its own Maven settings ({@code etc/org.ops4j.pax.url.mvn.cfg}); each channel is a file
 * {@code etc/dev.mpchannel.channel-NAME.cfg}, as an operator would write it. A {@code PeerProcess} started inside
 * Karaf's JVM needs {@code mpchannel.dist.jar} there: pass it with {@code propagateSystemProperty}.
 */
public final class KarafOptions {
    private KarafOptions() {
    }

    /** The features {@code mpchannel-primary} and {@code mpchannel-secondary}, this kit, and the channels. */
    public static Option mpchannel(ChannelConfiguration... channels) {
        return composite(features("mpchannel-primary", "mpchannel-secondary"), testkit(), channels(channels));
    }

    /** mpchannel's features repository, with {@code names} installed (e.g. {@code mpchannel-shell}). */
    public static Option features(String... names) {
        return org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features(maven().groupId(Artifacts.GROUP_ID)
                .artifactId("mpchannel-features").type("xml").classifier("features").version(Artifacts.version()),
                names);
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
}
