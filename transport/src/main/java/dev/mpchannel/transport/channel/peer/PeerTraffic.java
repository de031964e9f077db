package dev.mpchannel.transport.channel.peer;

import dev.mpchannel.transport.channel.action.ActionTraffic;
import dev.mpchannel.transport.channel.action.TrafficCounter;
import dev.mpchannel.transport.wire.Frame;
import java.util.List;

/**
 * Counts one peer's frames, for the peer and for their actions. A read or a batch brings many frames, often for one
 * action: they are counted once per run of frames for the same action, not once per frame.
 */
final class PeerTraffic {
    private final TrafficCounter peer = new TrafficCounter();
    private final ActionTraffic byAction;

    /** @param byAction the channel's counters by action, which every peer's frames add to */
    PeerTraffic(ActionTraffic byAction) {
        this.byAction = byAction;
    }

    /** The peer's own counters (errors, timeouts and ignored requests are counted there directly). */
    TrafficCounter peer() {
        return peer;
    }

    void received(List<Frame> frames) {
        count(frames, false);
    }

    void sent(List<Frame> frames) {
        count(frames, true);
    }

    private void count(List<Frame> frames, boolean sent) {
        int first = 0;
        while (first < frames.size()) {
            String action = frames.get(first).message().action();
            long bytes = 0;
            long fds = 0;
            int end = first;
            for (; end < frames.size() && frames.get(end).message().action().equals(action); end++) {
                bytes += frames.get(end).wireLength();
                fds += frames.get(end).fileDescriptors().size();
            }
            int messages = end - first;
            TrafficCounter ofAction = byAction.of(action);
            if (sent) {
                peer.sent(messages, bytes, fds);
                ofAction.sent(messages, bytes, fds);
            } else {
                peer.received(messages, bytes, fds);
                ofAction.received(messages, bytes, fds);
            }
            first = end;
        }
    }
}
