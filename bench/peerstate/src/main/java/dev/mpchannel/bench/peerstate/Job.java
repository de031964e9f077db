package dev.mpchannel.bench.peerstate;

/** An action of the peer and whether it may run on the thread that read it (transport's {@code PeerState.Job}). */
public record Job(Runnable action, boolean mayRunOnReader) {
}
