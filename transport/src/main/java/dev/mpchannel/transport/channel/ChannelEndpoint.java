package dev.mpchannel.transport.channel;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Channel;
import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.api.Role;
import dev.mpchannel.transport.socket.Connection;
import dev.mpchannel.transport.wire.FileDescriptors;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameException;
import dev.mpchannel.transport.wire.FrameKind;
import dev.mpchannel.transport.wire.FrameLimits;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Channel} over a set of connected peers, the same for both sides: a primary attaches each secondary it
 * accepts, a secondary attaches its primary. Each peer gets a reader thread that only reads and routes frames;
 * actions run on a shared pool, one at a time per peer, and all writing happens off the reader threads, so two
 * peers writing to each other can never block each other's reading.
 */
public final class ChannelEndpoint implements Channel, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelEndpoint.class);

    private final ChannelSettings settings;
    private final Role role;
    private final FrameLimits limits;
    private final ActionRegistry actions;
    private final ExecutorService pool;
    private final ScheduledExecutorService timer;
    private final PendingRequests pending;
    private final Map<Long, Attached> peers = new ConcurrentSkipListMap<>();
    private final ActionTraffic actionTraffic = new ActionTraffic();
    private volatile boolean closed;

    /** A connected peer, the thread that reads it, its counters, and what completes when it is gone. */
    private record Attached(Connection connection, Thread reader, SerialExecutor inbox, TrafficCounter traffic,
            AtomicInteger requestsInFlight, CompletableFuture<Void> gone) {
        Peer peer() {
            return connection.peer();
        }
    }

    public ChannelEndpoint(ChannelSettings settings, ActionRegistry actions) {
        this.settings = settings;
        this.role = settings.role();
        this.limits = settings.limits();
        this.actions = actions;
        this.pool = Executors.newFixedThreadPool(settings.capacity().actionThreads(), daemonThreads("mpchannel-action-"));
        ScheduledThreadPoolExecutor timeouts = new ScheduledThreadPoolExecutor(1, daemonThreads("mpchannel-timeout-"));
        timeouts.setRemoveOnCancelPolicy(true); // a request answered in time leaves nothing queued behind
        this.timer = timeouts;
        this.pending = new PendingRequests(timer);
    }

    /**
     * Takes over a connected peer, if the peer policy allows it, and reads its frames until it goes away.
     *
     * @return completes when the peer is gone and forgotten; exceptionally with {@link PeerRefusedException} if the
     *         policy refused it (it was disconnected at once)
     */
    public CompletableFuture<Void> attach(Connection connection) {
        Peer peer = connection.peer();
        CompletableFuture<Void> gone = new CompletableFuture<>();
        String refusal = !settings.peerPolicy().allows(peer) ? settings.peerPolicy().refusal(peer)
                : peers.size() >= settings.capacity().maxPeers() ? "refused " + peer + ": " + peers.size()
                        + " peers are connected, the most max.peers allows" : null;
        if (refusal != null) {
            // before reading anything from it
            LOG.warn(refusal);
            connection.close();
            connection.releaseReceived();
            gone.completeExceptionally(new PeerRefusedException(refusal));
            return gone;
        }
        Attached[] self = new Attached[1]; // the reader needs the record that holds the reader
        Thread reader = new Thread(() -> readUntilGone(self[0]), "mpchannel-read-" + peer);
        reader.setDaemon(true);
        self[0] = new Attached(connection, reader, new SerialExecutor(pool, settings.capacity().queueDepth()),
                new TrafficCounter(), new AtomicInteger(), gone);
        try {
            connection.stallTimeout(settings.capacity().writeTimeout());
        } catch (IOException e) {
            connection.close();
            gone.complete(null);
            return gone;
        }
        synchronized (this) {
            if (closed) {
                connection.close();
                gone.complete(null);
                return gone;
            }
            peers.put(peer.id(), self[0]);
        }
        LOG.info("{} connected (uid {}, gid {})", peer, peer.uid(), peer.gid());
        reader.start();
        return gone;
    }

    @Override
    public Role role() {
        return role;
    }

    @Override
    public List<Peer> peers() {
        return peers.values().stream().map(Attached::peer).toList();
    }

    @Override
    public ChannelStatus status() {
        ChannelStatus.State state = closed ? ChannelStatus.State.CLOSED
                : role == Role.PRIMARY ? ChannelStatus.State.LISTENING
                : peers.isEmpty() ? ChannelStatus.State.CONNECTING : ChannelStatus.State.CONNECTED;
        return new ChannelStatus(role, settings.paths().prefix(), settings.paths().socket().toString(), state,
                peers.values().stream().map(a -> new ChannelStatus.PeerStatus(a.peer(), a.traffic().snapshot())).toList(),
                actions.boundNames(), actions.refusedNames(), actionTraffic.snapshot());
    }

    /** The action whitelist and bindings this endpoint dispatches to. */
    public ActionRegistry actions() {
        return actions;
    }

    @Override
    public int send(Message message) throws ChannelException {
        List<Attached> targets = targets();
        checkSendable(message, targets);
        Frame frame = Frame.message(message);
        int written = 0;
        for (Attached target : targets) {
            try {
                write(target, frame);
                written++;
            } catch (IOException e) {
                if (role == Role.SECONDARY) {
                    throw new ChannelException(ChannelException.Reason.IO, "could not send to " + target.peer() + ": " + e, e);
                }
            }
        }
        return written;
    }

    @Override
    public void send(Peer peer, Message message) throws ChannelException {
        Attached target = attachedTo(peer);
        checkSendable(message, List.of(target));
        try {
            write(target, Frame.message(message));
        } catch (IOException e) {
            throw new ChannelException(ChannelException.Reason.IO, "could not send to " + peer + ": " + e, e);
        }
    }

    @Override
    public Replies request(Message message, Duration timeout) throws ChannelException, InterruptedException {
        return await(startRequest(targets(), message, timeout, false, false), timeout);
    }

    @Override
    public Replies request(Peer peer, Message message, Duration timeout) throws ChannelException, InterruptedException {
        return await(startRequest(List.of(attachedTo(peer)), message, timeout, true, false), timeout);
    }

    @Override
    public CompletionStage<Replies> requestAsync(Message message, Duration timeout) {
        try {
            return onPool(counted(startRequest(targets(), message, timeout, false, true), message));
        } catch (ChannelException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<Replies> requestAsync(Peer peer, Message message, Duration timeout) {
        try {
            return onPool(counted(startRequest(List.of(attachedTo(peer)), message, timeout, true, true), message));
        } catch (ChannelException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Disconnects every peer, ends every request in flight and stops the threads. */
    @Override
    public void close() {
        List<Attached> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(peers.values());
        }
        all.forEach(a -> a.connection().close());
        pending.closeAll("the channel was closed");
        for (Attached attached : all) {
            try {
                attached.reader().join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        pool.shutdown();
        timer.shutdownNow();
    }

    // --- sending ---------------------------------------------------------------------------------------------------

    private List<Attached> targets() {
        return List.copyOf(peers.values());
    }

    private Attached attachedTo(Peer peer) throws ChannelException {
        checkOpen();
        Attached attached = peers.get(peer.id());
        if (attached == null) {
            throw new ChannelException(ChannelException.Reason.UNKNOWN_PEER, peer + " is not connected");
        }
        return attached;
    }

    private void checkSendable(Message message, List<Attached> targets) throws ChannelException {
        checkOpen();
        if (message.paramsLength() > limits.maxParamsBytes()) {
            throw new ChannelException(ChannelException.Reason.TOO_LARGE, "parameters of " + message.paramsLength()
                    + " bytes exceed max.message.bytes (" + limits.maxParamsBytes() + ")");
        }
        if (message.fileDescriptors().size() > limits.maxFileDescriptors()) {
            throw new ChannelException(ChannelException.Reason.TOO_LARGE, message.fileDescriptors().size()
                    + " file descriptors exceed max.fds (" + limits.maxFileDescriptors() + ")");
        }
        if (limits.shared(message.paramsLength()) && message.fileDescriptors().size() >= FrameLimits.MAX_RECEIVABLE_FDS) {
            throw new ChannelException(ChannelException.Reason.TOO_LARGE, "parameters in shared memory take one of the "
                    + FrameLimits.MAX_RECEIVABLE_FDS + " descriptors a message can carry; this one has all of them");
        }
        if (role == Role.SECONDARY && targets.isEmpty()) {
            throw new ChannelException(ChannelException.Reason.NOT_CONNECTED,
                    "not connected to a primary (it is not running yet, or went away; reconnecting)");
        }
    }

    private void checkOpen() throws ChannelException {
        if (closed) {
            throw new ChannelException(ChannelException.Reason.CLOSED, "the channel is closed");
        }
    }

    /** Writes the request to every target at once; the answers are collected as they come. */
    private PendingRequest startRequest(List<Attached> targets, Message message, Duration timeout,
            boolean addressed, boolean timer) throws ChannelException {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        checkSendable(message, targets);
        PendingRequest request = pending.open(message.action(), timeout, timer);
        Frame frame = Frame.request(request.id(), message);
        IOException failure = null;
        List<Attached> written = new ArrayList<>(targets.size());
        for (Attached target : targets) {
            request.expect(target.peer());
            target.requestsInFlight().incrementAndGet();
            try {
                write(target, frame);
                written.add(target);
            } catch (IOException e) {
                target.requestsInFlight().decrementAndGet();
                request.notSent(target.peer());
                failure = e;
            }
        }
        request.result().whenComplete((replies, error) -> written.forEach(t -> t.requestsInFlight().decrementAndGet()));
        request.sendingDone();
        if (failure != null && (addressed || role == Role.SECONDARY)) {
            request.giveUp(Reply.Status.PEER_GONE, "not sent");
            throw new ChannelException(ChannelException.Reason.IO, "could not send the request: " + failure, failure);
        }
        return request;
    }

    /** The replies, with timeouts counted before the caller sees them (so a status read right after agrees). */
    private CompletableFuture<Replies> counted(PendingRequest request, Message message) {
        return request.result().thenApply(replies -> {
            countUnanswered(message.action(), replies);
            return replies;
        });
    }

    private void countUnanswered(String action, Replies replies) {
        for (Reply reply : replies.replies()) {
            if (reply.status() == Reply.Status.TIMED_OUT) {
                actionTraffic.of(action).timeout();
                Attached peer = peers.get(reply.peer().id());
                if (peer != null) {
                    peer.traffic().timeout();
                }
            }
        }
    }

    /** Writes a frame and counts it; a failed write drops the peer (its reader then reports it gone). */
    private void write(Attached to, Frame frame) throws IOException {
        try {
            to.connection().write(frame);
        } catch (SocketTimeoutException e) {
            to.traffic().error();
            LOG.warn("{} stopped reading: a write made no progress for {} ms (write.timeout.ms); disconnecting it",
                    to.peer(), settings.capacity().writeTimeout().toMillis());
            to.connection().close();
            throw new SocketTimeoutException(to.peer() + " stopped reading (no progress for "
                    + settings.capacity().writeTimeout().toMillis() + " ms); disconnected");
        } catch (IOException e) {
            to.traffic().error();
            LOG.debug("writing to {} failed, dropping it: {}", to.peer(), e.toString());
            to.connection().close();
            throw e;
        }
        long bytes = frame.wireLength();
        int fds = frame.fileDescriptors().size();
        to.traffic().sent(bytes, fds);
        actionTraffic.of(frame.message().action()).sent(bytes, fds);
    }

    /** Waits for the replies; the waiting thread itself ends the request at its timeout (no timer involved). */
    private Replies await(PendingRequest request, Duration timeout) throws InterruptedException {
        try {
            try {
                request.result().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                PendingRequests.expire(request, timeout);
            }
            Replies replies = request.result().get();
            countUnanswered(request.action(), replies);
            return replies;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a request ended abnormally", e.getCause());
        } catch (InterruptedException e) {
            request.giveUp(Reply.Status.TIMED_OUT, "the requesting thread was interrupted");
            throw e;
        }
    }

    /** Callers' dependent stages run on the pool, never on a reader thread. */
    private CompletionStage<Replies> onPool(CompletableFuture<Replies> result) {
        return result.thenApplyAsync(Function.identity(), pool);
    }

    // --- receiving -------------------------------------------------------------------------------------------------

    private void readUntilGone(Attached from) {
        Connection connection = from.connection();
        Peer peer = from.peer();
        String why = "closed the connection";
        boolean reported = false;
        try {
            Frame frame;
            while ((frame = connection.read()) != null) {
                long bytes = frame.wireLength();
                int fds = frame.fileDescriptors().size();
                from.traffic().received(bytes, fds);
                actionTraffic.of(frame.message().action()).received(bytes, fds);
                route(from, frame);
            }
        } catch (FrameException e) {
            from.traffic().error();
            why = "broke the protocol and was disconnected: " + e.getMessage();
            LOG.warn("{} {}", peer, why);
            reported = true;
        } catch (IOException e) {
            if (connection.isOpen() && !closed) {
                why = "was lost: " + e;
            }
        } catch (RuntimeException e) {
            why = "was disconnected after an internal error: " + e;
            LOG.error("{} {}", peer, why, e);
            reported = true;
        } finally {
            connection.close();
            connection.releaseReceived();
            peers.remove(peer.id(), from);
            pending.peerGone(peer, peer + " " + why);
            if (!reported) {
                LOG.info("{} {}", peer, why);
            }
            from.gone().complete(null);
        }
    }

    private void route(Attached from, Frame frame) {
        Peer peer = from.peer();
        Message message = frame.message();
        switch (frame.kind()) {
            case MESSAGE -> {
                Optional<Action> action = actions.lookup(message.action());
                if (action.isEmpty()) {
                    drop(peer, frame, actions.whyNot(message.action()));
                } else if (runsHere(action.get(), from, false)) {
                    handleMessage(peer, message);
                } else {
                    from.inbox().execute(() -> handleMessage(peer, message));
                }
            }
            case REQUEST -> {
                Optional<Action> action = actions.lookup(message.action());
                if (action.isEmpty()) {
                    // Answered at once, not after the requester's timeout, and not queued behind this peer's actions.
                    FileDescriptors.closeAll(message.fileDescriptors());
                    String why = actions.whyNot(message.action());
                    from.inbox().executeUnordered(() -> answer(from,
                            Frame.refusal(FrameKind.IGNORED, frame.requestId(), message.action(), why)));
                } else if (runsHere(action.get(), from, true)) {
                    handleRequest(from, frame);
                } else {
                    from.inbox().execute(() -> handleRequest(from, frame));
                }
            }
            case REPLY, IGNORED, FAILED -> takeAnswer(from, frame);
            default -> throw new IllegalStateException("unhandled frame kind " + frame.kind());
        }
    }

    /**
     * Whether an action runs on this reading thread: only one that declared itself quick and non-blocking, and only
     * when nothing from this peer waits before it (so the peer's order holds). It saves the hand-off to the pool.
     * <p>
     * A request's reply is then written by this reading thread. If the peer's reading thread did the same for our
     * requests at that moment, and both sockets were full, each would wait for the other to read: so a request runs
     * here only while we have no request of our own in flight to that peer (then its reading thread has no reply of
     * ours to write, and goes on reading).
     */
    private boolean runsHere(Action action, Attached from, boolean request) {
        return actions.isInline(action) && from.inbox().isIdle()
                && (!request || from.requestsInFlight().get() == 0);
    }

    private void takeAnswer(Attached from, Frame frame) {
        Message message = frame.message();
        Reply reply = switch (frame.kind()) {
            case REPLY -> Reply.replied(from.peer(), message);
            case IGNORED -> Reply.unanswered(from.peer(), Reply.Status.IGNORED, message.paramsAsString());
            default -> Reply.unanswered(from.peer(), Reply.Status.FAILED, message.paramsAsString());
        };
        if (frame.kind() == FrameKind.IGNORED) {
            from.traffic().ignored();
            actionTraffic.of(message.action()).ignored();
        } else if (frame.kind() == FrameKind.FAILED) {
            from.traffic().error();
            actionTraffic.of(message.action()).error();
        }
        if (frame.kind() != FrameKind.REPLY) {
            FileDescriptors.closeAll(message.fileDescriptors());
        }
        if (!pending.answer(frame.requestId(), reply)) {
            LOG.debug("{} answered request {} late or unasked; dropped", from.peer(), frame.requestId());
            FileDescriptors.closeAll(message.fileDescriptors());
        }
    }

    private void drop(Peer peer, Frame frame, String why) {
        int fds = frame.fileDescriptors().size();
        FileDescriptors.closeAll(frame.fileDescriptors());
        actionTraffic.of(frame.message().action()).ignored();
        LOG.warn("message from {} dropped: {}{}", peer, why, fds == 0 ? "" : " (" + fds + " fds closed)");
    }

    private void handleMessage(Peer peer, Message message) {
        Optional<Action> action = actions.lookup(message.action());
        if (action.isEmpty()) { // unregistered since it arrived
            drop(peer, Frame.message(message), actions.whyNot(message.action()));
            return;
        }
        try {
            action.get().handleAsync(message, peer).whenComplete((ignored, error) -> {
                if (error != null) {
                    actionFailed(message.action(), peer, error);
                }
            });
        } catch (RuntimeException e) {
            actionFailed(message.action(), peer, e);
        }
    }

    private void actionFailed(String action, Peer peer, Throwable error) {
        actionTraffic.of(action).error();
        LOG.warn("action '{}' failed on a message from {}: {}", action, peer, describe(error));
    }

    private void handleRequest(Attached from, Frame request) {
        Message message = request.message();
        Optional<Action> action = actions.lookup(message.action());
        if (action.isEmpty()) {
            FileDescriptors.closeAll(message.fileDescriptors());
            answer(from, Frame.refusal(FrameKind.IGNORED, request.requestId(), message.action(),
                    actions.whyNot(message.action())));
            return;
        }
        CompletionStage<Message> outcome;
        try {
            outcome = action.get().handleAsync(message, from.peer());
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((reply, error) -> answer(from, error != null
                ? Frame.refusal(FrameKind.FAILED, request.requestId(), message.action(), describe(error))
                : Frame.reply(request.requestId(), reply != null ? reply : Message.of(message.action()))));
    }

    /** Writes an answer; a reply's descriptors are closed once written (they were duplicated into the peer). */
    private void answer(Attached to, Frame answer) {
        Frame checked = answer;
        if (answer.message().paramsLength() > limits.maxParamsBytes()
                || answer.fileDescriptors().size() > limits.maxFileDescriptors()) {
            checked = Frame.refusal(FrameKind.FAILED, answer.requestId(), answer.message().action(),
                    "the reply (" + answer.message().paramsLength() + " bytes, " + answer.fileDescriptors().size()
                            + " fds) exceeds max.message.bytes/max.fds");
            LOG.warn("reply to {} for '{}' too large: {}", to.peer(), answer.message().action(),
                    checked.message().paramsAsString());
        }
        if (checked.kind() == FrameKind.IGNORED) {
            actionTraffic.of(checked.message().action()).ignored();
        } else if (checked.kind() == FrameKind.FAILED) {
            actionTraffic.of(checked.message().action()).error();
        }
        try {
            write(to, checked);
        } catch (IOException e) {
            // the peer is gone; its reader reports it
        } finally {
            FileDescriptors.closeAll(answer.fileDescriptors());
        }
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.getMessage() == null ? cause.getClass().getName() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
