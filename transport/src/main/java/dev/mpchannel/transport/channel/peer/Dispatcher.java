package dev.mpchannel.transport.channel.peer;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.transport.channel.action.ActionRegistry;
import dev.mpchannel.transport.channel.action.ActionTraffic;
import dev.mpchannel.transport.text.Printable;
import dev.mpchannel.transport.wire.ControlMessages;
import dev.mpchannel.transport.wire.FileDescriptors;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameKind;
import dev.mpchannel.transport.wire.FrameLimits;
import dev.mpchannel.transport.wire.SegmentLease;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the messages and requests that peers send to the actions bound here, and writes the answers: routing by
 * action name, which actions may run on the reading thread, calling actions, and the checks on what they reply.
 * Messages from one peer go through that peer's {@link PeerState}, so they are handled one at a time in the order
 * they came. A failure of an action, an {@code Error} included, is counted and logged (a request gets
 * {@code FAILED}) wherever it ran; the peer stays.
 */
public final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final ActionRegistry actions;
    private final FrameLimits limits;
    private final ActionTraffic actionTraffic;
    private final ReaderWatch watch;
    private final Channel channel;

    /** @param channel the channel actions are told their messages came on */
    public Dispatcher(ActionRegistry actions, FrameLimits limits, ActionTraffic actionTraffic, ReaderWatch watch,
            Channel channel) {
        this.channel = channel;
        this.actions = actions;
        this.limits = limits;
        this.actionTraffic = actionTraffic;
        this.watch = watch;
    }

    /**
     * Dispatches the messages and requests that {@code from}'s reader just read, in their order, to the peer's
     * {@link PeerState}: the reading thread runs them itself while the queue was idle and they may run there, the rest
     * go to the pool. A frame naming no bound action is answered (or dropped) at once, never queued.
     */
    public void dispatch(PeerSession from, List<Frame> frames) {
        // A request's reply written by the reading thread could wait on a full socket while the peer's reader does the
        // same for ours: so a request runs there only while this side awaits no answer from that peer (its reading
        // thread then writes no reply of ours, and goes on reading).
        boolean noRequestOfOurs = from.requestsInFlight().get() == 0;
        // A poller (reading many peers) never writes: its refusals go to the action threads too.
        boolean onReader = noRequestOfOurs && from.state().reads(Thread.currentThread());
        List<PeerState.Job> jobs = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            Frame received = frames.get(i);
            boolean request = received.kind() == FrameKind.REQUEST;
            if (!request && ControlMessages.isReserved(received.message().action())) {
                control(from, received); // the channel's own: at once, never queued behind the peer's actions
                continue;
            }
            Optional<Action> action = actions.lookup(received.message().action());
            if (action.isEmpty()) {
                refuseUnbound(from, received, onReader);
                continue;
            }
            // an action that reads its parameters only while it runs reads large ones where the connection keeps
            // them mapped, and they are released once it ended (and its reply was written), whatever happens
            boolean scoped = actions.hasScopedParams(action.get());
            Frame frame = scoped ? received.withScopedParams() : received;
            Message message = frame.message();
            Runnable handling;
            if (request) {
                // known from now on, so a cancel reaches it while it waits in the queue too
                ReceivedContext context = new ReceivedContext(channel, from.peer(), message, frame.requestId());
                from.running().open(context);
                handling = () -> handleRequest(from, frame, context, scoped);
            } else {
                handling = () -> handleMessage(from.peer(), message, scoped);
            }
            jobs.add(new PeerState.Job(handling, (!request || noRequestOfOurs)
                    && (actions.isInline(action.get()) || i == frames.size() - 1 && watch.enabled())));
        }
        from.state().dispatch(jobs);
    }

    /**
     * A frame naming no bound action: a request is answered at once (not after the requester's timeout, and not
     * queued behind this peer's actions), a message dropped. The reading thread writes the refusal itself when it may
     * (as for a request run there); otherwise the peer's writer thread does, ahead of the queue (a poller, or a reader
     * while this side awaits answers of the peer, must not wait on a full socket).
     */
    private void refuseUnbound(PeerSession from, Frame frame, boolean onReader) {
        Message message = frame.message();
        String why = actions.whyNot(message.action());
        if (frame.kind() != FrameKind.REQUEST) {
            drop(from.peer(), frame, why);
            return;
        }
        FileDescriptors.closeAll(message.fileDescriptors());
        answer(from, Frame.refusal(FrameKind.IGNORED, frame.requestId(), message.action(), why), onReader);
    }

    private void handleMessage(Peer peer, Message message, boolean scoped) {
        Optional<Action> action = actions.lookup(message.action());
        if (action.isEmpty()) { // unregistered since it arrived
            drop(peer, Frame.message(message), actions.whyNot(message.action()));
            releaseIf(scoped, message);
            return;
        }
        ReceivedContext context = new ReceivedContext(channel, peer, message, 0);
        try {
            action.get().handleAsync(context).whenComplete((reply, error) -> {
                context.closeUntaken();
                releaseIf(scoped, message);
                if (error != null) {
                    actionFailed(message.action(), peer, error);
                } else if (reply != null) {
                    repliedToMessage(message.action(), peer, reply);
                }
            });
        } catch (RuntimeException | Error e) { // an Error too (a class gone with a refreshed bundle): the peer stays
            context.closeUntaken();
            releaseIf(scoped, message);
            actionFailed(message.action(), peer, e);
        }
    }

    /** The parameters of a message handed to an action that reads them only while it runs: nothing reads them now. */
    private static void releaseIf(boolean scoped, Message message) {
        if (scoped) {
            SegmentLease.release(message);
        }
    }

    private void handleRequest(PeerSession from, Frame request, ReceivedContext context, boolean scoped) {
        Message message = request.message();
        Optional<Action> action = actions.lookup(message.action());
        if (action.isEmpty()) { // unregistered since it arrived
            from.running().answered(context);
            context.closeUntaken();
            answer(from, Frame.refusal(FrameKind.IGNORED, request.requestId(), message.action(),
                    actions.whyNot(message.action())));
            releaseIf(scoped, message);
            return;
        }
        CompletionStage<Message> outcome;
        if (context.isCancelled()) { // while it waited in the queue: nobody wants what the action would do
            outcome = CompletableFuture.failedFuture(new CancellationException("cancelled by the requester"));
        } else {
            try {
                outcome = action.get().handleAsync(context);
            } catch (RuntimeException | Error e) { // answered FAILED, wherever it ran; the peer stays
                outcome = CompletableFuture.failedFuture(e);
            }
        }
        outcome.whenComplete((reply, error) -> {
            from.running().answered(context);
            // a reply may pass descriptors of the request on: those stay open until it is written
            context.closeUntaken(reply != null ? reply.fileDescriptors() : List.of());
            answer(from, error != null
                    ? Frame.refusal(FrameKind.FAILED, request.requestId(), message.action(), describe(error))
                    : Frame.reply(request.requestId(), reply != null ? reply : Message.of(message.action())));
            releaseIf(scoped, message); // after the reply is written: it may be the request's own parameters
        });
    }

    /** Writes an answer; a reply's descriptors are closed once written (they were duplicated into the peer). */
    private void answer(PeerSession to, Frame answer) {
        answer(to, answer, true);
    }

    /** Writes an answer; {@code here}: the calling thread may write it itself, else the peer's writer thread does. */
    private void answer(PeerSession to, Frame answer, boolean here) {
        Frame checked = answer;
        if (answer.message().paramsLength() > limits.maxParamsBytes()
                || answer.fileDescriptors().size() > limits.maxFileDescriptors()) {
            checked = Frame.refusal(FrameKind.FAILED, answer.requestId(), answer.message().action(),
                    "the reply (" + answer.message().paramsLength() + " bytes, " + answer.fileDescriptors().size()
                            + " fds) exceeds max.message.bytes/max.fds");
            LOG.warn("reply to {} for '{}' too large: {}", to.peer(), Printable.escape(answer.message().action()),
                    checked.message().paramsAsString());
        }
        if (checked.kind() == FrameKind.IGNORED) {
            actionTraffic.of(checked.message().action()).ignored();
        } else if (checked.kind() == FrameKind.FAILED) {
            actionTraffic.of(checked.message().action()).error();
        }
        try {
            to.outbox().write(List.of(checked), here);
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
        LOG.warn("message from {} dropped: {}{}", peer, Printable.escape(why),
                fds == 0 ? "" : " (" + fds + " fds closed)");
    }

    /** A message of the channel's own (reserved name): a cancel is taken, any other dropped quietly. */
    private void control(PeerSession from, Frame frame) {
        FileDescriptors.closeAll(frame.fileDescriptors());
        long cancelled = ControlMessages.cancelledRequest(frame.message());
        if (cancelled != 0) {
            from.running().cancel(cancelled);
        } else {
            LOG.debug("{} sent '{}', which this side does not know; dropped", from.peer(),
                    Printable.escape(frame.message().action()));
        }
    }

    /** A message has nobody waiting for an answer: a reply to one is the action's mistake, said and counted. */
    private void repliedToMessage(String action, Peer peer, Message reply) {
        FileDescriptors.closeAll(reply.fileDescriptors());
        actionTraffic.of(action).error();
        LOG.warn("action '{}' returned a reply to a message (not a request) from {}: nobody waits for it, not sent",
                Printable.escape(action), peer);
    }

    private void actionFailed(String action, Peer peer, Throwable error) {
        actionTraffic.of(action).error();
        LOG.warn("action '{}' failed on a message from {}: {}", Printable.escape(action), peer,
                Printable.escape(describe(error)));
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.getMessage() == null ? cause.getClass().getName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
