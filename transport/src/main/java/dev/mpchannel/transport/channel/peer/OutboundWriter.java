package dev.mpchannel.transport.channel.peer;

import dev.mpchannel.transport.socket.FrameRefusedException;
import dev.mpchannel.transport.socket.StreamConnection;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameKind;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How a {@link PeerOutbox} writes what it queued: on a thread of its peer's own, in as few writes as the wire allows. */
final class OutboundWriter {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundWriter.class);

    private OutboundWriter() {
    }

    /**
     * The peer's writer thread ({@code mpchannel-write-<peer>}): started when first needed, ending after 10 s idle or
     * as soon as the peer is gone, so a closed channel leaves no thread behind.
     */
    static ThreadPoolExecutor threadOf(PeerSession session) {
        ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "mpchannel-write-" + session.peer());
                    thread.setDaemon(true);
                    return thread;
                });
        writer.allowCoreThreadTimeOut(true);
        session.gone().whenComplete((ignored, error) -> writer.shutdown());
        return writer;
    }

    /**
     * Writes a drained batch: in one go on a stream; frame by frame on a wire that may refuse one (DPDK's), so that a
     * refused frame costs only itself, and a request of this side's among them is answered FAILED at once.
     */
    static void write(PeerSession session, List<Frame> frames) throws IOException {
        if (session.connection() instanceof StreamConnection) {
            session.connection().write(frames);
            session.countSent(frames);
            return;
        }
        for (Frame frame : frames) {
            try {
                session.connection().write(List.of(frame));
                session.countSent(List.of(frame));
            } catch (FrameRefusedException e) {
                LOG.warn("{}: a queued {} for '{}' was refused, not sent: {}", session.peer(), frame.kind(),
                        frame.message().action(), e.getMessage());
                if (frame.kind() == FrameKind.REQUEST) {
                    session.inbound().received(session, List.of(Frame.refusal(FrameKind.FAILED, frame.requestId(),
                            frame.message().action(), "not sent: " + e.getMessage())));
                }
            }
        }
    }
}
