package com.example.echo;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.testkit.ChannelAssertions;
import dev.mpchannel.testkit.ChannelConfiguration;
import dev.mpchannel.testkit.PeerProcess;
import dev.mpchannel.testkit.paxexam.MpChannelOptions;
import java.nio.file.Path;
import java.time.Duration;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.util.Filter;

/**
 * The action across two JVMs: this test's framework (Felix, Pax Exam's native container) is the primary of channel
 * {@code echo}; the secondary is another JVM that runs this module's bundle.
 */
@RunWith(PaxExam.class)
public class EchoIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Inject
    @Filter("(&(mp.channel=echo)(mp.role=primary))")
    private Channel channel;

    @Configuration
    public Option[] config() {
        return options(
                junitBundles(),
                systemProperty("org.ops4j.pax.url.mvn.localRepository")
                        .value(System.getProperty("org.ops4j.pax.url.mvn.localRepository")),
                MpChannelOptions.mpchannel(ChannelConfiguration.primary("echo").inNewTempDirectory()
                        .allowedActions("echo.*")));
    }

    @Test
    public void theSecondaryInAnotherJvmAnswersInUpperCase() throws Exception {
        try (PeerProcess secondary = PeerProcess.secondaryOf(channel).allowedActions("echo.*")
                .bundle(Path.of(System.getProperty("echo.bundle"))).start()) {
            secondary.awaitConnected(TIMEOUT).awaitActionBound(UpperCaseAction.NAME, TIMEOUT);
            Peer peer = ChannelAssertions.awaitPeer(channel, secondary.pid(), TIMEOUT);

            Replies replies = ChannelAssertions.assertAnsweredByEveryPeer(channel,
                    Message.of(UpperCaseAction.NAME, "hello"), TIMEOUT);

            assertEquals("HELLO", replies.replies().get(0).message().paramsAsString());
            assertEquals(peer, replies.replies().get(0).peer());
            ChannelAssertions.awaitTraffic(channel, peer, traffic -> traffic.messagesIn() >= 1 && traffic.errors() == 0,
                    "the reply counted, no error", TIMEOUT);
        }
    }
}
