package dev.mpchannel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.api.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class InMemoryChannelTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void aRequestIsAnsweredByEveryPeerAsTheRealChannelWould() throws Exception {
        InMemoryChannel channel = InMemoryChannel.primary("echo");
        Peer upper = channel.addPeer("echo.upper", context -> Message.of("echo.upper", context.message().paramsAsString().toUpperCase() + " from " + context.peer().role()));
        Peer failing = channel.addPeer("echo.upper", context -> {
            throw new IllegalStateException("broken");
        });
        Peer without = channel.addPeer(Map.of());

        Replies replies = channel.request(Message.of("echo.upper", "hi"), TIMEOUT);

        assertEquals(3, replies.sent());
        assertEquals(1, replies.received());
        Map<Peer, Reply> byPeer = new java.util.HashMap<>();
        replies.replies().forEach(reply -> byPeer.put(reply.peer(), reply));
        assertEquals("HI from PRIMARY", byPeer.get(upper).message().paramsAsString());
        assertEquals(Reply.Status.FAILED, byPeer.get(failing).status());
        assertTrue(byPeer.get(failing).reason().contains("broken"), byPeer.get(failing).reason());
        assertEquals(Reply.Status.IGNORED, byPeer.get(without).status());
        assertEquals(3, channel.sent().size());
        assertEquals(1, ChannelAssertions.traffic(channel, without).ignored());
        AssertionError notAll = assertThrows(AssertionError.class, () ->
                ChannelAssertions.assertAnsweredByEveryPeer(channel, Message.of("echo.upper"), TIMEOUT));
        assertTrue(notAll.getMessage().contains("replied by 1"), notAll.getMessage());
    }

    @Test
    void aReplyThatComesLaterThanTheTimeoutIsTimedOut() throws Exception {
        InMemoryChannel channel = InMemoryChannel.primary("slow");
        CompletableFuture<Message> never = new CompletableFuture<>();
        channel.addPeer("slow.never", Action.async(context -> never));
        Replies replies = channel.request(Message.of("slow.never"), Duration.ofMillis(50));
        assertEquals(Reply.Status.TIMED_OUT, replies.replies().get(0).status());
    }

    @Test
    void aSecondaryWithoutItsPrimaryIsNotConnectedAndAClosedChannelRefusesAll() throws Exception {
        InMemoryChannel channel = InMemoryChannel.secondary("lonely");
        ChannelException notConnected = assertThrows(ChannelException.class,
                () -> channel.send(Message.of("lonely.hello")));
        assertEquals(ChannelException.Reason.NOT_CONNECTED, notConnected.reason());
        Peer primary = channel.addPeer("lonely.hello", context -> null);
        assertEquals(Role.PRIMARY, primary.role());
        assertEquals(1, channel.send(Message.of("lonely.hello")));
        Replies empty = channel.request(Message.of("lonely.hello"), TIMEOUT);
        assertEquals("lonely.hello", empty.replies().get(0).message().action()); // an empty reply, as the channel's
        channel.removePeer(primary);
        assertThrows(ChannelException.class, () -> channel.send(primary, Message.of("lonely.hello")));
        channel.close();
        ChannelException closed = assertThrows(ChannelException.class,
                () -> channel.request(Message.of("lonely.hello"), TIMEOUT));
        assertEquals(ChannelException.Reason.CLOSED, closed.reason());
        assertEquals(List.of(), channel.peers());
    }
}
