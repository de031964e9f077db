package dev.mpchannel.transport.channel.request;

import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.transport.channel.action.ActionTraffic;
import dev.mpchannel.transport.channel.peer.Audience;
import dev.mpchannel.transport.channel.peer.DaemonThreads;
import dev.mpchannel.transport.channel.peer.PeerSession;
import dev.mpchannel.transport.channel.peer.SharedOnce;
import dev.mpchannel.transport.socket.FrameRefusedException;
import dev.mpchannel.transport.wire.ControlMessages;
import dev.mpchannel.transport.wire.FileDescriptors;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameKind;
import dev.mpchannel.transport.wire.FrameLimits;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests this side makes: a request id each, the request written to every target at once (an asynchronous one
 * queued for each target's writer, so that its caller returns at once), the answers matched as they come, and the
 * wait with its timeout (on the caller's thread for a blocking request, on the timer for an asynchronous one, whose
 * stage completes on threads of its own).
 */
public final class Requester {
    private static final Logger LOG = LoggerFactory.getLogger(Requester.class);

    private final Audience audience;
    private final PendingRequests pending;
    private final ThreadPoolExecutor callbacks;
    private final ActionTraffic actionTraffic;
    private final ReplySpin spin;
    private final FrameLimits sharing;
    private final boolean cancelsAtPeers;

    /**
     * @param name    the channel's name, for the threads that complete {@code requestAsync} stages
     * @param sharing the limits by which large parameters go in shared memory ({@code null} on a wire without): a
     *                request to many peers writes them there once
     */
    public Requester(Audience audience, ScheduledExecutorService timer, String name, ActionTraffic actionTraffic, Duration spin,
            FrameLimits sharing, boolean cancelsAtPeers) {
        this.sharing = sharing;
        this.cancelsAtPeers = cancelsAtPeers;
        this.audience = audience;
        this.spin = new ReplySpin(spin);
        this.pending = new PendingRequests(timer);
        this.callbacks = completions(name);
        this.actionTraffic = actionTraffic;
    }

    /**
     * Where the stages of {@code requestAsync} complete, so where the callers' dependent stages run: threads of their
     * own, never a reader (user code there would stall its peer) nor an action thread (an action waiting for such a
     * stage could hold the thread its completion needs: with every action thread so held, nothing completes ever).
     * A completion never waits for a thread: an idle one takes it, else a new one starts; idle threads end after a
     * while. A dependent stage that blocks holds its thread only, as on any executor of unbounded threads (the JDK's
     * HttpClient completes on such a one by default).
     */
    private static ThreadPoolExecutor completions(String name) {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new DaemonThreads("mpchannel-callback-" + name + "-"));
    }

    /** Sends a request to the targets and waits for their answers until {@code timeout}. */
    public Replies request(List<PeerSession> targets, Message message, Duration timeout, boolean addressed)
            throws ChannelException, InterruptedException {
        PeerSession.beforeBlocking(); // an action on a reading thread lets another thread read the replies
        return await(start(targets, message, timeout, addressed, false), targets, timeout);
    }

    /** Sends a request to the targets; the stage completes with their answers, at {@code timeout} at the latest. */
    public CompletionStage<Replies> requestAsync(List<PeerSession> targets, Message message, Duration timeout,
            boolean addressed) throws ChannelException {
        PendingRequest request = start(targets, message, timeout, addressed, true);
        // timeouts are counted before the caller sees the replies, so a status read right after agrees
        CompletableFuture<Replies> stage = request.result()
                .thenApply(replies -> countUnanswered(request.action(), replies, targets))
                .thenApplyAsync(Function.identity(), this::callback);
        stage.whenComplete((replies, error) -> {
            if (error instanceof CancellationException) { // the caller cancelled the stage: forget, and tell
                request.cancel().forEach(peer -> tellCancelled(request, peer, targets));
            }
        });
        return stage;
    }

    /** Tells a peer that nobody waits for its answer to {@code request} any more; queued, never blocks. */
    private void tellCancelled(PendingRequest request, Peer peer, List<PeerSession> targets) {
        if (!cancelsAtPeers) {
            return;
        }
        for (PeerSession target : targets) {
            if (target.peer() == peer) {
                try {
                    target.outbox().write(List.of(Frame.message(ControlMessages.cancel(request.id()))), false);
                } catch (IOException gone) {
                    // it went away: nothing of the request runs there any more
                }
            }
        }
    }

    /** How many requests wait for answers. */
    public int pending() {
        return pending.size();
    }

    /** An answer {@code from} read: the request it belongs to takes it, or it is dropped (late or unasked). */
    public void answer(PeerSession from, Frame frame) {
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

    /**
     * Runs a caller's dependent stage on a completion thread; once the channel has closed (a request racing the
     * close), on the completing thread instead, so the caller still gets its replies rather than a rejection.
     */
    private void callback(Runnable stage) {
        try {
            callbacks.execute(stage);
        } catch (RejectedExecutionException closing) {
            stage.run();
        }
    }

    /** The peer went away: no request waits for it any longer. */
    public void peerGone(Peer peer, String reason) {
        pending.peerGone(peer, reason);
    }

    /** The channel is closing: every request ends now, its stage completed; no thread is started afterwards. */
    public void closeAll(String reason) {
        pending.closeAll(reason);
        callbacks.shutdown(); // what was handed over still runs; idle threads end
    }

    /**
     * Writes the request to every target at once (an asynchronous one only queues it for each target's writer); the
     * answers are collected as they come.
     */
    private PendingRequest start(List<PeerSession> targets, Message message, Duration timeout, boolean addressed,
            boolean timer) throws ChannelException {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        PendingRequest request;
        try {
            request = pending.open(message.action(), targets.size(), timeout, timer);
        } catch (RejectedExecutionException closing) { // the timer is gone: the channel closed meanwhile
            throw new ChannelException(ChannelException.Reason.CLOSED, "the channel is closed");
        }
        IOException failure = null;
        List<PeerSession> written = new ArrayList<>(targets.size());
        try (SharedOnce shared = SharedOnce.of(List.of(Frame.request(request.id(), message)), targets.size(),
                sharing)) {
            writeAll(request, shared.frames(), targets, written, timer);
        } catch (IOException e) {
            failure = e;
        } catch (ChannelException e) { // the parameters could not be written to shared memory: nothing was sent
            request.giveUp(Reply.Status.PEER_GONE, "not sent");
            throw e;
        }
        request.result().whenComplete((replies, error) -> {
            for (int i = 0; i < written.size(); i++) {
                written.get(i).requestsInFlight().decrementAndGet();
            }
            if (replies != null) { // a peer still at work on a request whose time is up learns it may stop
                for (Reply reply : replies.replies()) {
                    if (reply.status() == Reply.Status.TIMED_OUT) {
                        tellCancelled(request, reply.peer(), written);
                    }
                }
            }
        });
        request.sendingDone();
        if (failure != null && (addressed || audience.failsWhenOneWriteFails())) {
            request.giveUp(Reply.Status.PEER_GONE, "not sent");
            // a wire that refuses the frame while the connection stays (DPDK: the name has a request in flight)
            throw new ChannelException(failure instanceof FrameRefusedException ? ChannelException.Reason.BUSY
                    : ChannelException.Reason.IO, "could not send the request: " + failure.getMessage(), failure);
        }
        return request;
    }

    /**
     * Writes the request to each target (an asynchronous one only queues it); the targets written to go to
     * {@code written}.
     *
     * @throws IOException the last failure, once every target was tried
     */
    private static void writeAll(PendingRequest request, List<Frame> frame, List<PeerSession> targets,
            List<PeerSession> written, boolean async) throws IOException {
        IOException failure = null;
        for (PeerSession target : targets) {
            request.expect(target.peer());
            target.requestsInFlight().incrementAndGet();
            try {
                // asynchronous: the caller never writes, so it returns at once
                target.outbox().write(frame, !async);
                written.add(target);
            } catch (IOException e) {
                target.requestsInFlight().decrementAndGet();
                request.notSent(target.peer());
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Waits for the replies, spinning first (see {@link ReplySpin}); the waiting thread itself ends the request at its
     * timeout (no timer involved).
     */
    private Replies await(PendingRequest request, List<PeerSession> targets, Duration timeout)
            throws InterruptedException {
        spin.spinFor(request.result());
        try {
            try {
                request.result().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                PendingRequests.expire(request, timeout);
            }
            return countUnanswered(request.action(), request.result().get(), targets);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a request ended abnormally", e.getCause());
        } catch (InterruptedException e) {
            request.giveUp(Reply.Status.TIMED_OUT, "the requesting thread was interrupted");
            throw e;
        }
    }

    private Replies countUnanswered(String action, Replies replies, List<PeerSession> targets) {
        for (Reply reply : replies.replies()) {
            if (reply.status() == Reply.Status.TIMED_OUT) {
                actionTraffic.of(action).timeout();
                targets.stream().filter(t -> t.peer().id() == reply.peer().id()).findFirst()
                        .ifPresent(t -> t.traffic().timeout());
            }
        }
        return replies;
    }
}
