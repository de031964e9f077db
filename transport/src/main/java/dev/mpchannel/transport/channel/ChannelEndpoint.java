package dev.mpchannel.transport.channel;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Channel;
import dev.mpchannel.api.ChannelException;
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
import java.util.concurrent.ThreadFactory;
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

    private final Role role;
    private final FrameLimits limits;
    private final ActionRegistry actions;
    private final ExecutorService pool;
    private final ScheduledExecutorService timer;
    private final PendingRequests pending;
    private final Map<Long, Attached> peers = new ConcurrentSkipListMap<>();
    private volatile boolean closed;

    /** A connected peer, the thread that reads it, and what completes when it is gone. */
    private record Attached(Connection connection, Thread reader, CompletableFuture<Void> gone) {
    }

    public ChannelEndpoint(Role role, FrameLimits limits, ActionRegistry actions, int actionThreads) {
        this.role = role;
        this.limits = limits;
        this.actions = actions;
        this.pool = Executors.newFixedThreadPool(actionThreads, daemonThreads("mpchannel-action-"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("mpchannel-timeout-"));
        this.pending = new PendingRequests(timer);
    }

    /**
     * Takes over a connected peer and reads its frames until it goes away.
     *
     * @return completes when the peer is gone and forgotten
     */
    public CompletableFuture<Void> attach(Connection connection) {
        Peer peer = connection.peer();
        SerialExecutor inbox = new SerialExecutor(pool);
        CompletableFuture<Void> gone = new CompletableFuture<>();
        Thread reader = new Thread(() -> readUntilGone(connection, inbox, gone), "mpchannel-read-" + peer);
        reader.setDaemon(true);
        synchronized (this) {
            if (closed) {
                connection.close();
                gone.complete(null);
                return gone;
            }
            peers.put(peer.id(), new Attached(connection, reader, gone));
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
        return peers.values().stream().map(a -> a.connection().peer()).toList();
    }

    /** The action whitelist and bindings this endpoint dispatches to. */
    public ActionRegistry actions() {
        return actions;
    }

    @Override
    public int send(Message message) throws ChannelException {
        List<Connection> targets = targets();
        checkSendable(message, targets);
        int written = 0;
        for (Connection connection : targets) {
            try {
                connection.write(Frame.message(message));
                written++;
            } catch (IOException e) {
                lost(connection, e);
                if (role == Role.SECONDARY) {
                    throw new ChannelException(ChannelException.Reason.IO, "could not send to " + connection + ": " + e, e);
                }
            }
        }
        return written;
    }

    @Override
    public void send(Peer peer, Message message) throws ChannelException {
        Connection connection = connectionTo(peer);
        checkSendable(message, List.of(connection));
        try {
            connection.write(Frame.message(message));
        } catch (IOException e) {
            lost(connection, e);
            throw new ChannelException(ChannelException.Reason.IO, "could not send to " + peer + ": " + e, e);
        }
    }

    @Override
    public Replies request(Message message, Duration timeout) throws ChannelException, InterruptedException {
        return await(startRequest(targets(), message, timeout, false));
    }

    @Override
    public Replies request(Peer peer, Message message, Duration timeout) throws ChannelException, InterruptedException {
        return await(startRequest(List.of(connectionTo(peer)), message, timeout, true));
    }

    @Override
    public CompletionStage<Replies> requestAsync(Message message, Duration timeout) {
        try {
            return onPool(startRequest(targets(), message, timeout, false));
        } catch (ChannelException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<Replies> requestAsync(Peer peer, Message message, Duration timeout) {
        try {
            return onPool(startRequest(List.of(connectionTo(peer)), message, timeout, true));
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

    private List<Connection> targets() {
        return peers.values().stream().map(Attached::connection).toList();
    }

    private Connection connectionTo(Peer peer) throws ChannelException {
        checkOpen();
        Attached attached = peers.get(peer.id());
        if (attached == null) {
            throw new ChannelException(ChannelException.Reason.UNKNOWN_PEER, peer + " is not connected");
        }
        return attached.connection();
    }

    private void checkSendable(Message message, List<Connection> targets) throws ChannelException {
        checkOpen();
        if (message.paramsLength() > limits.maxParamsBytes()) {
            throw new ChannelException(ChannelException.Reason.TOO_LARGE, "parameters of " + message.paramsLength()
                    + " bytes exceed max.message.bytes (" + limits.maxParamsBytes() + ")");
        }
        if (message.fileDescriptors().size() > limits.maxFileDescriptors()) {
            throw new ChannelException(ChannelException.Reason.TOO_LARGE, message.fileDescriptors().size()
                    + " file descriptors exceed max.fds (" + limits.maxFileDescriptors() + ")");
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
    private CompletableFuture<Replies> startRequest(List<Connection> targets, Message message, Duration timeout,
            boolean addressed) throws ChannelException {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        checkSendable(message, targets);
        PendingRequest request = pending.open(timeout);
        IOException failure = null;
        for (Connection connection : targets) {
            request.expect(connection.peer());
            try {
                connection.write(Frame.request(request.id(), message));
            } catch (IOException e) {
                request.notSent(connection.peer());
                lost(connection, e);
                failure = e;
            }
        }
        request.sendingDone();
        if (failure != null && (addressed || role == Role.SECONDARY)) {
            request.giveUp(Reply.Status.PEER_GONE, "not sent");
            throw new ChannelException(ChannelException.Reason.IO, "could not send the request: " + failure, failure);
        }
        return request.result();
    }

    private static Replies await(CompletableFuture<Replies> result) throws InterruptedException {
        try {
            return result.get(); // the request's own timeout completes it
        } catch (ExecutionException e) {
            throw new IllegalStateException("a request ended abnormally", e.getCause());
        }
    }

    /** Callers' dependent stages run on the pool, never on a reader thread. */
    private CompletionStage<Replies> onPool(CompletableFuture<Replies> result) {
        return result.thenApplyAsync(Function.identity(), pool);
    }

    private void lost(Connection connection, IOException e) {
        LOG.debug("writing to {} failed, dropping it: {}", connection, e.toString());
        connection.close();
    }

    // --- receiving -------------------------------------------------------------------------------------------------

    private void readUntilGone(Connection connection, SerialExecutor inbox, CompletableFuture<Void> gone) {
        Peer peer = connection.peer();
        String why = "closed the connection";
        boolean reported = false;
        try {
            Frame frame;
            while ((frame = connection.read()) != null) {
                route(connection, inbox, frame);
            }
        } catch (FrameException e) {
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
            peers.values().removeIf(a -> a.connection() == connection);
            pending.peerGone(peer, peer + " " + why);
            if (!reported) {
                LOG.info("{} {}", peer, why);
            }
            gone.complete(null);
        }
    }

    private void route(Connection from, SerialExecutor inbox, Frame frame) {
        Peer peer = from.peer();
        Message message = frame.message();
        switch (frame.kind()) {
            case MESSAGE -> {
                if (actions.lookup(message.action()).isEmpty()) {
                    drop(peer, frame, actions.whyNot(message.action()));
                } else {
                    inbox.execute(() -> handleMessage(peer, message));
                }
            }
            case REQUEST -> {
                if (actions.lookup(message.action()).isEmpty()) {
                    // Answered at once, not after the requester's timeout, and not queued behind this peer's actions.
                    FileDescriptors.closeAll(message.fileDescriptors());
                    String why = actions.whyNot(message.action());
                    pool.execute(() -> answer(from,
                            Frame.refusal(FrameKind.IGNORED, frame.requestId(), message.action(), why)));
                } else {
                    inbox.execute(() -> handleRequest(from, frame));
                }
            }
            case REPLY, IGNORED, FAILED -> {
                Reply reply = frame.kind() == FrameKind.REPLY
                        ? Reply.replied(peer, message)
                        : Reply.unanswered(peer, frame.kind() == FrameKind.IGNORED
                                ? Reply.Status.IGNORED : Reply.Status.FAILED, message.paramsAsString());
                if (frame.kind() != FrameKind.REPLY) {
                    FileDescriptors.closeAll(message.fileDescriptors());
                }
                if (!pending.answer(frame.requestId(), reply)) {
                    LOG.debug("{} answered request {} late or unasked; dropped", peer, frame.requestId());
                    FileDescriptors.closeAll(message.fileDescriptors());
                }
            }
            default -> throw new IllegalStateException("unhandled frame kind " + frame.kind());
        }
    }

    private void drop(Peer peer, Frame frame, String why) {
        int fds = frame.fileDescriptors().size();
        FileDescriptors.closeAll(frame.fileDescriptors());
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
                    LOG.warn("action '{}' failed on a message from {}: {}", message.action(), peer, describe(error));
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("action '{}' failed on a message from {}: {}", message.action(), peer, describe(e));
        }
    }

    private void handleRequest(Connection from, Frame request) {
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
    private void answer(Connection to, Frame answer) {
        Frame checked = answer;
        if (answer.message().paramsLength() > limits.maxParamsBytes()
                || answer.fileDescriptors().size() > limits.maxFileDescriptors()) {
            checked = Frame.refusal(FrameKind.FAILED, answer.requestId(), answer.message().action(),
                    "the reply (" + answer.message().paramsLength() + " bytes, " + answer.fileDescriptors().size()
                            + " fds) exceeds max.message.bytes/max.fds");
            LOG.warn("reply to {} for '{}' too large: {}", to, answer.message().action(), checked.message().paramsAsString());
        }
        try {
            to.write(checked);
        } catch (IOException e) {
            lost(to, e);
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
