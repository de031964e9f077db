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

    /**
     * The frames one read brought from {@code from}, in order; those for the actions go on as they came (no list of
     * their own unless answers were among them).
     */
    void route(PeerSession from, List<Frame> frames) {
        List<Frame> toActions = frames;
        for (int i = 0; i < frames.size(); i++) {
            Frame frame = frames.get(i);
            if (frame.kind().isAnswer()) {
                if (toActions == frames) {
                    toActions = new ArrayList<>(frames.subList(0, i));
                }
                requester.answer(from, frame);
            } else if (toActions != frames) {
                toActions.add(frame);
            }
        }
        if (!toActions.isEmpty()) {
            dispatcher.dispatch(from, toActions);
        }
    }
}
