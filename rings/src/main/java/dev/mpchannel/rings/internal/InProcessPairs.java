package dev.mpchannel.rings.internal;

import dev.mpchannel.api.Peer;
import dev.mpchannel.rings.RingOptions;
import dev.mpchannel.rings.RingPair;
import java.io.FileDescriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * Both sides of a pair in one process, made exactly as across processes (new memory and doorbells on one side, the
 * other side from duplicates of the descriptors, as the kernel would give a peer), without a channel: for the
 * benchmark (bench/rings), which compares the rings with other transports between two threads. Not exported.
 */
public final class InProcessPairs {
    private InProcessPairs() {
    }

    /**
     * The opener's side and the acceptor's side; closing either tells the other.
     *
     * @param peer what both sides report as their peer
     */
    public static RingPair[] open(String name, RingOptions options, Peer peer) throws IOException {
        SharedRingPair[] sides = new SharedRingPair[2];
        OpenRequest request = new OpenRequest(name, 1, options.toPeer(), options.fromPeer());
        List<FileDescriptor> duplicates = new ArrayList<>();
        try (PairFactory.Opened opened = PairFactory.open("in-process", request, peer, (pair, tell) -> {
            if (tell) {
                sides[1].closeFromPeer("the peer closed it");
            }
        })) {
            for (FileDescriptor fd : opened.descriptors()) {
                duplicates.add(FileDescriptorCast.duplicating(fd).getFileDescriptor());
            }
            sides[0] = opened.pair();
        }
        sides[1] = PairFactory.accept("in-process", request, peer, duplicates, (pair, tell) -> {
            if (tell) {
                sides[0].closeFromPeer("the peer closed it");
            }
        });
        return sides;
    }
}
