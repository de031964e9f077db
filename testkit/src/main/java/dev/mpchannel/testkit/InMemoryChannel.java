package dev.mpchannel.testkit;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Channel;
import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.api.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Channel} inside the test's JVM, for unit tests of a component that calls a channel: its peers are
 * {@link Action}s the test adds, called in this JVM as the real channel would call them in other processes (with
 * {@code handleAsync}; their context names this channel and, as the peer, this side). No framework, socket or
 * second process.
 *
 * <pre>{@code
 * InMemoryChannel channel = InMemoryChannel.primary("echo");
 * Peer secondary = channel.addPeer("echo.upper", context -> Message.of("echo.upper", "HI"));
 * new MyComponent(channel).run();                       // calls channel.request(Message.of("echo.upper", ...), ...)
 * assertEquals("echo.upper", channel.sent().get(0).message().action());
 * }</pre>
 *
 * What it does not do: check the whitelist and the limits, duplicate file descriptors (a message's descriptors reach the
 * peer's action as they are), or keep the per-peer order when an action completes later.
 */
public final class InMemoryChannel implements Channel {
    /** A message this channel sent or requested, and to which peer. */
    public record Sent(Peer to, Message message, boolean request) {
    }

    private final Role role;
    private final String name;
    private final Peer self;
    private final Map<Peer, Map<String, Action>> peers = new LinkedHashMap<>(); // guarded by this
    private final Map<Peer, PeerCounters> counters = new LinkedHashMap<>(); // guarded by this
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean closed;

    private InMemoryChannel(Role role, String name) {
        this.role = role;
        this.name = name;
        this.self = peer(role == Role.PRIMARY ? Peer.PRIMARY_ID : 1, role);
    }

    /** A channel on which this side is the primary: each peer added is a secondary. */
    public static InMemoryChannel primary(String name) {
        return new InMemoryChannel(Role.PRIMARY, name);
    }

    /** A channel on which this side is a secondary: the one peer added is its primary. */
    public static InMemoryChannel secondary(String name) {
        return new InMemoryChannel(Role.SECONDARY, name);
    }

    /** Adds a peer with one action. */
    public Peer addPeer(String action, Action handler) {
        return addPeer(Map.of(action, handler));
    }

    /** Adds a peer whose actions are {@code actions} (by name); a request for any other is answered IGNORED. */
    public synchronized Peer addPeer(Map<String, ? extends Action> actions) {
        if (role == Role.SECONDARY && !peers.isEmpty()) {
            throw new IllegalStateException("a secondary has one peer, its primary: remove it first");
        }
        Peer peer = role == Role.PRIMARY ? peer(ids.incrementAndGet(), Role.SECONDARY) : peer(Peer.PRIMARY_ID,
                Role.PRIMARY);
        peers.put(peer, new LinkedHashMap<>(actions));
        counters.put(peer, new PeerCounters());
        return peer;
    }

    /** Removes a peer, as if its process had gone away. */
    public synchronized void removePeer(Peer peer) {
        peers.remove(peer);
        counters.remove(peer);
    }

    /** Every message sent or requested so far, in order, once per peer it went to. */
    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** Closes the channel: every later call fails with {@link ChannelException.Reason#CLOSED}. */
    public void close() {
        closed = true;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Role role() {
        return role;
    }

    @Override
    public synchronized List<Peer> peers() {
        return List.copyOf(peers.keySet());
    }

    @Override
    public int send(Message message) throws ChannelException {
        List<Peer> targets = targets();
        for (Peer peer : targets) {
            deliver(peer, message, false);
        }
        return targets.size();
    }

    @Override
    public void send(Peer peer, Message message) throws ChannelException {
        deliver(known(peer), message, false);
    }

    @Override
    public int sendAll(List<Message> messages) throws ChannelException {
        List<Peer> targets = targets();
        for (Peer peer : targets) {
            for (Message message : messages) {
                deliver(peer, message, false);
            }
        }
        return messages.isEmpty() ? 0 : targets.size();
    }

    @Override
    public void sendAll(Peer peer, List<Message> messages) throws ChannelException {
        known(peer);
        for (Message message : messages) {
            deliver(peer, message, false);
        }
    }

    @Override
    public Replies request(Message message, Duration timeout) throws ChannelException, InterruptedException {
        return await(requestAsync(message, timeout));
    }

    @Override
    public Replies request(Peer peer, Message message, Duration timeout) throws ChannelException,
            InterruptedException {
        return await(requestAsync(peer, message, timeout));
    }

    @Override
    public CompletionStage<Replies> requestAsync(Message message, Duration timeout) {
        try {
            return gather(targets(), message, timeout);
        } catch (ChannelException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<Replies> requestAsync(Peer peer, Message message, Duration timeout) {
        try {
            return gather(List.of(known(peer)), message, timeout);
        } catch (ChannelException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public synchronized ChannelStatus status() {
        return InMemoryStatus.of(role, name, closed, counters);
    }

    @Override
    public String toString() {
        return "in-memory " + role.name().toLowerCase(java.util.Locale.ROOT) + " of channel '" + name + "'";
    }

    private CompletableFuture<Replies> gather(List<Peer> targets, Message message, Duration timeout)
            throws ChannelException {
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (Peer peer : targets) {
            PeerCounters count = countersOf(peer);
            replies.add(deliver(peer, message, true).handle((reply, error) -> {
                if (error != null) {
                    Throwable cause = error.getCause() != null ? error.getCause() : error;
                    count.errors.incrementAndGet();
                    return Reply.unanswered(peer, Reply.Status.FAILED, String.valueOf(cause));
                }
                count.messagesIn.incrementAndGet();
                if (reply == null) {
                    count.ignored.incrementAndGet();
                    return Reply.unanswered(peer, Reply.Status.IGNORED, "no action '" + message.action()
                            + "' is registered");
                }
                return Reply.replied(peer, reply);
            }).completeOnTimeout(null, timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS).thenApply(
                    reply -> {
                        if (reply != null) {
                            return reply;
                        }
                        count.timeouts.incrementAndGet();
                        return Reply.unanswered(peer, Reply.Status.TIMED_OUT, "no reply within " + timeout);
                    }));
        }
        return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
                .thenApply(done -> Replies.of(targets.size(), replies.stream().map(CompletableFuture::join).toList()));
    }

    /** Hands {@code message} to the peer's action; completes with its reply, or null if it has no such action. */
    private CompletableFuture<Message> deliver(Peer peer, Message message, boolean request) throws ChannelException {
        Action action;
        synchronized (this) {
            checkOpen();
            action = peers.getOrDefault(peer, Map.of()).get(message.action());
            counters.get(peer).messagesOut.incrementAndGet();
        }
        sent.add(new Sent(peer, message, request));
        if (action == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Message> reply;
        try {
            reply = action.handleAsync(new InMemoryContext(this, self, message,
                    request ? ids.incrementAndGet() : 0))
                    .toCompletableFuture();
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        // an empty reply (null) is a reply under the request's name, as the real channel sends it
        return reply.thenApply(answer -> answer != null ? answer : Message.of(message.action()));
    }

    private synchronized List<Peer> targets() throws ChannelException {
        checkOpen();
        if (role == Role.SECONDARY && peers.isEmpty()) {
            throw new ChannelException(ChannelException.Reason.NOT_CONNECTED, "channel '" + name
                    + "': no primary (add one with addPeer)");
        }
        return List.copyOf(peers.keySet());
    }

    private synchronized Peer known(Peer peer) throws ChannelException {
        checkOpen();
        // the very Peer this channel gave, as the real channel has it: not an equal one
        if (peers.keySet().stream().noneMatch(known -> known == peer)) {
            throw new ChannelException(ChannelException.Reason.UNKNOWN_PEER, "channel '" + name + "': " + peer
                    + " is not connected");
        }
        return peer;
    }

    private synchronized PeerCounters countersOf(Peer peer) {
        return counters.getOrDefault(peer, new PeerCounters());
    }

    private void checkOpen() throws ChannelException {
        if (closed) {
            throw new ChannelException(ChannelException.Reason.CLOSED, "channel '" + name + "' is closed");
        }
    }

    private static Replies await(CompletionStage<Replies> replies) throws ChannelException, InterruptedException {
        try {
            return replies.toCompletableFuture().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ChannelException failed) {
                throw failed;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private Peer peer(long id, Role role) {
        return InMemoryPeer.of(name, id, role);
    }
}
