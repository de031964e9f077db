package dev.mpchannel.transport.channel;

import dev.mpchannel.transport.channel.peer.Dispatcher;
import dev.mpchannel.transport.channel.peer.PeerSession;
import dev.mpchannel.transport.channel.request.Requester;
import dev.mpchannel.transport.wire.Frame;
import java.util.ArrayList;
import java.util.List;

/** Where the frames a peer's reader read go: answers to this side's requests, everything else to the actions. */
final class FrameRouter {
    private final Requester requester;
    private final Dispatcher dispatcher;

    FrameRouter(Requester requester, Dispatcher dispatcher) {
        this.requester = requester;
        this.dispatcher = dispatcher;
    }

    /** The frames one read brought from {@code from}, in order. */
    void route(PeerSession from, List<Frame> frames) {
        if (frames.size() == 1) { // the common case, without a list of its own
            Frame frame = frames.get(0);
            if (frame.kind().isAnswer()) {
                requester.answer(from, frame);
            } else {
                dispatcher.dispatch(from, frames);
            }
            return;
        }
        List<Frame> toActions = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            Frame frame = frames.get(i);
            if (frame.kind().isAnswer()) {
                requester.answer(from, frame);
            } else {
                toActions.add(frame);
            }
        }
        if (!toActions.isEmpty()) {
            dispatcher.dispatch(from, toActions);
        }
    }
}
