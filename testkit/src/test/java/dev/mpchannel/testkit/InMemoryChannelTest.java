package dev.mpchannel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.ActionContext;
import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.api.Role;
import dev.mpchannel.api.Traffic;
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

    @Test
    void theStatusFollowsThePeersAndTheActionsContextNamesThisSide() throws Exception {
        InMemoryChannel channel = InMemoryChannel.secondary("status");
        assertEquals(ChannelStatus.State.CONNECTING, channel.status().state());
        List<ActionContext> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Peer primary = channel.addPeer("status.see", context -> {
            seen.add(context);
            return null;
        });
        channel.send(Message.of("status.see"));
        channel.request(Message.of("status.see"), TIMEOUT);

        ChannelStatus status = channel.status();
        assertEquals(ChannelStatus.State.CONNECTED, status.state());
        assertEquals("in-memory:status", status.socketPath());
        assertEquals(List.of(primary), status.peers().stream().map(ChannelStatus.PeerStatus::peer).toList());
        Traffic traffic = status.peers().get(0).traffic();
        assertEquals(2, traffic.messagesOut());
        assertEquals(1, traffic.messagesIn()); // the reply
        assertEquals(2, seen.size());
        assertTrue(!seen.get(0).isRequest() && seen.get(1).isRequest() && seen.get(1).requestId() != 0);
        assertEquals(channel, seen.get(1).channel());
        assertEquals(Role.SECONDARY, seen.get(1).peer().role()); // the calling side, as its primary sees it
        assertEquals(ProcessHandle.current().pid(), seen.get(1).peer().pid());
        channel.close();
        assertEquals(ChannelStatus.State.CLOSED, channel.status().state());
    }
}
