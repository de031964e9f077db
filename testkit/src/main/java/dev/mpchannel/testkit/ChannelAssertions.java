package dev.mpchannel.testkit;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.api.Traffic;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What tests of actions check, as methods that wait for a condition against a deadline and throw an
 * {@link AssertionError} that says what was seen (JUnit 4 and 5 both report it as a failure).
 *
 * <pre>{@code
 * Peer peer = ChannelAssertions.awaitPeer(channel, secondary.pid(), TIMEOUT);
 * Replies replies = ChannelAssertions.assertAnsweredByEveryPeer(channel, Message.of("echo.upper", "hi"), TIMEOUT);
 * ChannelAssertions.awaitTraffic(channel, peer, t -> t.messagesIn() >= 1, "a reply came in", TIMEOUT);
 * }</pre>
 */
public final class ChannelAssertions {
    private static final long POLL_MILLIS = 20;

    private ChannelAssertions() {
    }

    /** Waits until {@code channel} has exactly {@code count} peers; returns them. */
    public static List<Peer> awaitPeers(Channel channel, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Peer> peers = channel.peers();
        while (peers.size() != count && System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL_MILLIS);
            peers = channel.peers();
        }
        if (peers.size() != count) {
            throw new AssertionError("channel '" + channel.name() + "': " + count + " peer(s) expected"
                    + " within " + timeout.toMillis() + " ms, connected: " + peers);
        }
        return peers;
    }

    /** Waits until the process {@code pid} (e.g. a {@link PeerProcess}'s) is a peer of {@code channel}. */
    public static Peer awaitPeer(Channel channel, long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<Peer> peer = peerWithPid(channel, pid);
        while (peer.isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL_MILLIS);
            peer = peerWithPid(channel, pid);
        }
        return peer.orElseThrow(() -> new AssertionError("channel '" + channel.name() + "': no peer with"
                + " pid " + pid + " within " + timeout.toMillis() + " ms, connected: " + channel.peers()));
    }

    /**
     * Sends {@code request} to every peer of {@code channel} (a primary's secondaries, a secondary's primary) and
     * asserts that there was at least one and that every one replied; returns the replies.
     */
    public static Replies assertAnsweredByEveryPeer(Channel channel, Message request, Duration timeout)
            throws ChannelException, InterruptedException {
        Replies replies = channel.request(request, timeout);
        List<Reply> unanswered = replies.replies().stream().filter(reply -> !reply.replied()).toList();
        if (replies.sent() == 0 || !unanswered.isEmpty() || replies.received() != replies.sent()) {
            StringBuilder why = new StringBuilder("request '" + request.action() + "': sent to " + replies.sent()
                    + " peer(s), replied by " + replies.received());
            for (Reply reply : unanswered) {
                why.append("\n  ").append(reply.peer()).append(' ').append(reply.status()).append(": ")
                        .append(reply.reason());
            }
            throw new AssertionError(why.toString());
        }
        return replies;
    }

    /** The counters of what crossed between {@code channel} and {@code peer}. */
    public static Traffic traffic(Channel channel, Peer peer) {
        return trafficOf(channel.status(), peer).orElseThrow(() -> new AssertionError("channel '"
                + channel.name() + "': " + peer + " is not connected"));
    }

    /**
     * Waits until the counters between {@code channel} and {@code peer} satisfy {@code condition}; returns them.
     *
     * @param what what the condition means, for the failure message
     */
    public static Traffic awaitTraffic(Channel channel, Peer peer, Predicate<Traffic> condition, String what,
            Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Traffic traffic = traffic(channel, peer);
        while (!condition.test(traffic) && System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL_MILLIS);
            traffic = traffic(channel, peer);
        }
        if (!condition.test(traffic)) {
            throw new AssertionError(what + ": not within " + timeout.toMillis() + " ms; " + peer + ": " + traffic);
        }
        return traffic;
    }

    private static Optional<Peer> peerWithPid(Channel channel, long pid) {
        return channel.peers().stream().filter(peer -> peer.pid() == pid).findFirst();
    }

    private static Optional<Traffic> trafficOf(ChannelStatus status, Peer peer) {
        return status.peers().stream().filter(entry -> entry.peer().equals(peer))
                .map(ChannelStatus.PeerStatus::traffic).findFirst();
    }
}
