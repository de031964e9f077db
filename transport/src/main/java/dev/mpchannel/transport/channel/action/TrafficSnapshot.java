package dev.mpchannel.transport.channel.action;

import dev.mpchannel.api.Traffic;

/** The counters of a peer or an action at one moment. */
public record TrafficSnapshot(long messagesIn, long messagesOut, long bytesIn, long bytesOut, long fdsIn,
        long fdsOut, long errors, long ignored, long timeouts) implements Traffic {
    /** No traffic at all. */
    public static final Traffic NONE = new TrafficSnapshot(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
