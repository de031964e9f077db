package com.example.echo;

import static org.junit.Assert.assertEquals;

import dev.mpchannel.api.Message;
import dev.mpchannel.api.Replies;
import dev.mpchannel.testkit.ChannelAssertions;
import dev.mpchannel.testkit.InMemoryChannel;
import java.time.Duration;
import org.junit.Test;

/** The action as a peer of the test kit's in-JVM channel: no framework, no second process. */
public class UpperCaseActionTest {
    @Test
    public void aRequestIsAnsweredInUpperCase() throws Exception {
        InMemoryChannel channel = InMemoryChannel.primary("echo");
        channel.addPeer(UpperCaseAction.NAME, new UpperCaseAction());

        Replies replies = ChannelAssertions.assertAnsweredByEveryPeer(channel,
                Message.of(UpperCaseAction.NAME, "hello"), Duration.ofSeconds(5));

        assertEquals("HELLO", replies.replies().get(0).message().paramsAsString());
    }
}
