package dev.mpchannel.transport.channel;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.transport.wire.FileDescriptors;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameKind;
import dev.mpchannel.transport.wire.FrameLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the messages and requests that peers send to the actions bound here, and writes the answers: routing by
 * action name, the inline policy, calling actions, and the checks on what they reply. Messages from one peer go
 * through that peer's queue, so they are handled one at a time in the order they came.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final ActionRegistry actions;
    private final FrameLimits limits;
    private final ActionTraffic actionTraffic;
    private final ReaderWatch watch;

    Dispatcher(ActionRegistry actions, FrameLimits limits, ActionTraffic actionTraffic, ReaderWatch watch) {
        this.actions = actions;
        this.limits = limits;
        this.actionTraffic = actionTraffic;
        this.watch = watch;
    }

    /**
     * Dispatches the messages and requests that {@code from}'s reader just read, in their order: the ones that may
     * run on the reading thread run now, the rest go to the peer's queue together (one hand-off for all of them).
     */
    void dispatch(PeerSession from, List<Frame> frames) {
        List<Runnable> queued = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            Frame frame = frames.get(i);
            Message message = frame.message();
            Optional<Action> action = actions.lookup(message.action());
            boolean request = frame.kind() == FrameKind.REQUEST;
            if (action.isEmpty()) {
                refuseUnbound(from, frame);
                continue;
            }
            Runnable handling = request ? () -> handleRequest(from, frame) : () -> handleMessage(from.peer(), message);
            boolean first = queued.isEmpty();
            if (first && runsHere(action.get(), from, request)) {
                handling.run();
            } else if (first && i == frames.size() - 1 && takesReader(from, request)) {
                from.runOnReader(() -> {
                    if (!from.inbox().runHere(handling)) {
                        from.inbox().executeAll(List.of(handling));
                    }
                }, watch);
            } else {
                queued.add(handling);
            }
        }
        from.inbox().executeAll(queued);
    }

    /** A frame naming no bound action: a request is answered at once, a message dropped. */
    private void refuseUnbound(PeerSession from, Frame frame) {
        Message message = frame.message();
        String why = actions.whyNot(message.action());
        if (frame.kind() != FrameKind.REQUEST) {
            drop(from.peer(), frame, why);
            return;
        }
        // Answered at once, not after the requester's timeout, and not queued behind this peer's actions.
        FileDescriptors.closeAll(message.fileDescriptors());
        from.inbox().executeUnordered(() -> answer(from,
                Frame.refusal(FrameKind.IGNORED, frame.requestId(), message.action(), why)));
    }

    /**
     * Whether an action runs on this reading thread: only one that declared itself quick and non-blocking, and only
     * when nothing from this peer waits before it (so the peer's order holds; the caller also checks that nothing of
     * the same read was queued before it). It saves the hand-off to the pool.
     * <p>
     * A request's reply is then written by this reading thread. If the peer's reading thread did the same for our
     * requests at that moment, and both sockets were full, each would wait for the other to read: so a request runs
     * here only while we have no request of our own in flight to that peer (then its reading thread has no reply of
     * ours to write, and goes on reading).
     */
    private boolean runsHere(Action action, PeerSession from, boolean request) {
        return actions.isInline(action) && mayRunHere(from, request);
    }

    /**
     * Whether an ordinary action runs on this reading thread, which hands the reading to another thread if the
     * action takes long ({@link ReaderWatch}): only for the last frame of a read (the frames after it would otherwise
     * wait for it unread), with the same guards as an inline action. It saves the hand-off to the pool.
     */
    private boolean takesReader(PeerSession from, boolean request) {
        return watch.enabled() && mayRunHere(from, request);
    }

    private static boolean mayRunHere(PeerSession from, boolean request) {
        return from.inbox().isIdle() && (!request || from.requestsInFlight().get() == 0);
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

    private void handleRequest(PeerSession from, Frame request) {
        Message message = request.message();
        Optional<Action> action = actions.lookup(message.action());
        if (action.isEmpty()) { // unregistered since it arrived
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
    private void answer(PeerSession to, Frame answer) {
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
            to.write(checked);
        } catch (IOException e) {
            // the peer is gone; its reader reports it
        } finally {
            FileDescriptors.closeAll(answer.fileDescriptors());
        }
    }

    private void drop(Peer peer, Frame frame, String why) {
        int fds = frame.fileDescriptors().size();
        FileDescriptors.closeAll(frame.fileDescriptors());
        actionTraffic.of(frame.message().action()).ignored();
        LOG.warn("message from {} dropped: {}{}", peer, why, fds == 0 ? "" : " (" + fds + " fds closed)");
    }

    private void actionFailed(String action, Peer peer, Throwable error) {
        actionTraffic.of(action).error();
        LOG.warn("action '{}' failed on a message from {}: {}", action, peer, describe(error));
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.getMessage() == null ? cause.getClass().getName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
