package dev.mpchannel.transport.channel;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Role;
import dev.mpchannel.transport.channel.action.ActionRegistry;
import dev.mpchannel.transport.channel.action.ActionTraffic;
import dev.mpchannel.transport.channel.peer.Audience;
import dev.mpchannel.transport.channel.peer.DaemonThreads;
import dev.mpchannel.transport.channel.peer.Dispatcher;
import dev.mpchannel.transport.channel.peer.PeerOutbox;
import dev.mpchannel.transport.channel.peer.PeerPoller;
import dev.mpchannel.transport.channel.peer.PeerRefusedException;
import dev.mpchannel.transport.channel.peer.PeerSession;
import dev.mpchannel.transport.channel.peer.Pollers;
import dev.mpchannel.transport.channel.peer.ReaderWatch;
import dev.mpchannel.transport.channel.request.Requester;
import dev.mpchannel.transport.config.ChannelSettings;
import dev.mpchannel.transport.socket.Connection;
import dev.mpchannel.transport.socket.PeerCredentials;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameLimits;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel over its connected peers, the same code for both sides (what differs is its {@link Audience}): a primary's
 * {@link Acceptor} attaches each secondary it accepts, a secondary's {@link Connector} attaches its primary. It admits
 * peers, sends, and owns the threads; each peer is a {@link PeerSession}, what peers send goes to the
 * {@link Dispatcher}, and this side's requests and their answers to the {@link Requester}.
 */
public final class ChannelRuntime implements Channel, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelRuntime.class);
    /** How long {@link #close} waits for all the peers' reading threads together. */
    static final long CLOSE_WAIT_MILLIS = 2000;

    private final ChannelSettings settings;
    private final Audience audience;
    private final FrameLimits limits;
    private final ActionRegistry actions;
    private final ExecutorService pool;
    private final ScheduledThreadPoolExecutor timer;
    private final ReaderWatch watch;
    private final ActionTraffic actionTraffic = new ActionTraffic();
    private final Dispatcher dispatcher;
    private final Requester requester;
    private final Sender sender;
    private final FrameRouter router;
    private final Map<Long, PeerSession> peers = new ConcurrentSkipListMap<>();
    /**
     * The peers in order, copied when one comes or goes (rarely) rather than for every send; {@link #peers()} and the
     * status list them from here too, so that a peer they list is one a send reaches.
     */
    private volatile List<PeerSession> targets = List.of();
    private final PeerEvents events;
    private final Pollers pollers;
    private volatile boolean closed;

    /** @param settings with its role decided */
    public ChannelRuntime(ChannelSettings settings, ActionRegistry actions) {
        this.settings = settings;
        this.audience = Audience.of(settings.role());
        this.limits = settings.limits();
        this.actions = actions;
        String name = settings.paths().prefix();
        this.pool = Executors.newFixedThreadPool(settings.capacity().actionThreads(),
                new DaemonThreads("mpchannel-action-" + name + "-"));
        this.timer = new ScheduledThreadPoolExecutor(1, new DaemonThreads("mpchannel-timeout-" + name + "-"));
        timer.setRemoveOnCancelPolicy(true); // a request answered in time leaves nothing queued behind
        this.watch = new ReaderWatch(settings.handoffs().reader(), peers::values, name);
        this.dispatcher = new Dispatcher(actions, limits, actionTraffic, watch, this);
        this.sender = new Sender(limits, settings.wire(), audience);
        this.requester = new Requester(audience, timer, name, actionTraffic, settings.handoffs().requestSpin(),
                sender.sharing(), settings.wire().carriesCancel());
        this.router = new FrameRouter(requester, dispatcher);
        this.events = new PeerEvents(settings.name(), this::peers);
        this.pollers = new Pollers(name, settings.capacity().readThreads());
        long stall = settings.capacity().writeTimeout().toNanos();
        timer.scheduleWithFixedDelay(() -> PeerOutbox.dropStalled(peers.values(), stall), stall / 4,
                Math.max(1, stall / 4), TimeUnit.NANOSECONDS);
    }

    /**
     * Takes over a connected peer, if the peer policy and {@code max.peers} allow it, and reads its frames until it
     * goes away.
     *
     * @return completes when the peer is gone and forgotten; exceptionally with {@link PeerRefusedException} if it
     *         was refused (and disconnected at once, before anything of it was read)
     */
    public CompletableFuture<Void> attach(Connection connection) {
        PeerCredentials peer = connection.credentials();
        String refusal = !settings.peerPolicy().allows(peer) ? settings.peerPolicy().refusal(peer)
                : peers.size() >= settings.capacity().maxPeers() ? "refused " + peer + ": " + peers.size()
                        + " peers are connected, the most max.peers allows" : null;
        if (refusal != null) {
            LOG.warn(refusal);
            connection.close();
            connection.releaseReceived();
            return CompletableFuture.failedFuture(new PeerRefusedException(refusal));
        }
        PeerSession session = new PeerSession(connection, pool, settings.capacity().queueDepth(),
                watch.enabled() ? watch : null, actionTraffic, settings.capacity().writeTimeout(), inbound, settings.name());
        try {
            connection.stallTimeout(settings.capacity().writeTimeout());
        } catch (IOException e) {
            connection.close();
            connection.releaseReceived();
            return CompletableFuture.completedFuture(null);
        }
        PeerPoller poller = pollers.readerOf(session); // before the peer is seen: its poller is running by then
        synchronized (this) {
            if (closed) {
                connection.close();
                connection.releaseReceived();
                return CompletableFuture.completedFuture(null);
            }
            peers.put(peer.id(), session);
            targets = List.copyOf(peers.values());
        }
        LOG.info("{} connected (uid {}, gid {})", peer, peer.uid(), peer.gid());
        events.joined(session.peer());
        if (poller == null) {
            session.startReading();
        } else {
            session.startReading(poller);
        }
        return session.gone();
    }

    /** What the peers' readers hand over: answers to this side's requests, and everything else to the actions. */
    private final PeerSession.Inbound inbound = new PeerSession.Inbound() {
        @Override
        public void received(PeerSession from, List<Frame> frames) {
            router.route(from, frames);
        }

        @Override
        public void gone(PeerSession session, String why) {
            synchronized (ChannelRuntime.this) {
                peers.remove(session.peer().id(), session);
                targets = List.copyOf(peers.values());
            }
            requester.peerGone(session.peer(), session.peer() + " " + why);
            session.cancelRunning();
            events.left(session.peer(), why);
        }
    };

    @Override
    public Role role() {
        return settings.role();
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public List<Peer> peers() {
        return targets.stream().map(PeerSession::peer).toList(); // what a send reaches, not the map a moment before
    }

    @Override
    public ChannelStatus status() {
        return new StatusSnapshot(settings.role(), settings.name(), settings.socketPath().toString(),
                audience.state(closed, targets.size()),
                targets.stream().<ChannelStatus.PeerStatus>map(s -> new StatusSnapshot.PeerSnapshot(s.peer(),
                        s.traffic().snapshot())).toList(),
                actions.boundNames(), actions.refusedNames(), actionTraffic.snapshot(), requester.pending());
    }

    /** How many peers the channel's poller reads at the moment (for tests). */
    int polledPeers() {
        return pollers.peers();
    }

    /** The limits of what a frame may carry on this channel. */
    public FrameLimits limits() {
        return limits;
    }

    /** The peer listeners this channel tells of peers joining and leaving. */
    public PeerEvents peerEvents() {
        return events;
    }

    /** The action whitelist and bindings this channel dispatches to. */
    public ActionRegistry actions() {
        return actions;
    }

    @Override
    public int send(Message message) throws ChannelException {
        return sendAll(List.of(message));
    }

    @Override
    public void send(Peer peer, Message message) throws ChannelException {
        sendAll(peer, List.of(message));
    }

    @Override
    public int sendAll(List<Message> messages) throws ChannelException {
        checkOpen();
        return sender.toAll(targets(), messages);
    }

    @Override
    public void sendAll(Peer peer, List<Message> messages) throws ChannelException {
        sender.toOne(sessionOf(peer), messages);
    }

    @Override
    public Replies request(Message message, Duration timeout) throws ChannelException, InterruptedException {
        List<PeerSession> targets = targets();
        checkSendable(message, targets);
        return requester.request(targets, message, timeout, false);
    }

    @Override
    public Replies request(Peer peer, Message message, Duration timeout) throws ChannelException, InterruptedException {
        List<PeerSession> targets = List.of(sessionOf(peer));
        checkSendable(message, targets);
        return requester.request(targets, message, timeout, true);
    }

    @Override
    public CompletionStage<Replies> requestAsync(Message message, Duration timeout) {
        try {
            List<PeerSession> targets = targets();
            checkSendable(message, targets);
            return requester.requestAsync(targets, message, timeout, false);
        } catch (ChannelException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<Replies> requestAsync(Peer peer, Message message, Duration timeout) {
        try {
            List<PeerSession> targets = List.of(sessionOf(peer));
            checkSendable(message, targets);
            return requester.requestAsync(targets, message, timeout, true);
        } catch (ChannelException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Disconnects every peer, ends every request in flight and stops the threads. Every connection is closed first,
     * then the readers are awaited together, {@value #CLOSE_WAIT_MILLIS} ms at most in all (a reader still in a
     * blocked action ends with it); actions already queued still run on the action threads.
     */
    @Override
    public void close() {
        List<PeerSession> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(peers.values());
        }
        all.forEach(PeerSession::close);
        requester.closeAll("the channel was closed");
        long deadline = System.nanoTime() + CLOSE_WAIT_MILLIS * 1_000_000;
        for (PeerSession session : all) {
            try {
                if (!session.awaitReader(deadline)) {
                    LOG.debug("{}: its reading thread is still in an action as the channel closes", session.peer());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        pollers.close();
        pool.shutdown();
        timer.shutdownNow();
        watch.close();
        all.forEach(session -> events.left(session.peer(), "the channel was closed"));
        events.close();
    }

    private List<PeerSession> targets() {
        return targets;
    }

    private PeerSession sessionOf(Peer peer) throws ChannelException {
        checkOpen();
        PeerSession session = peers.get(peer.id());
        // the very Peer this channel gave for this connection: not an equal one of another channel or connection
        if (session == null || session.peer() != peer) {
            throw new ChannelException(ChannelException.Reason.UNKNOWN_PEER, peer + " is not connected");
        }
        return session;
    }

    private void checkSendable(Message message, List<PeerSession> targets) throws ChannelException {
        checkOpen();
        sender.check(message, targets);
    }

    private void checkOpen() throws ChannelException {
        if (closed) {
            throw new ChannelException(ChannelException.Reason.CLOSED, "the channel is closed");
        }
    }
}
