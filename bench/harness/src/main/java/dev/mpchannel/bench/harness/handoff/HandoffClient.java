package dev.mpchannel.bench.harness.handoff;

import dev.mpchannel.bench.harness.ContextSwitches;
import dev.mpchannel.bench.harness.Result;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;

/**
 * The requester of the hand-off benchmark ({@link HandoffBench}): one variant's round trips to {@link HandoffEcho},
 * warm-up first, then the measured ones, each timed into an HdrHistogram; prints a HIST line and a CTXSW line (this
 * process's and the echo server's context switches, every thread, over the measured round trips) for impl
 * {@code VARIANT}, workload {@code rtt-64}, and a NOTE line when the variant has something to add.
 *
 * <pre>
 *   HandoffClient SOCKET VARIANT WARMUP COUNT SERVER_PID
 * </pre>
 */
public final class HandoffClient {
    static final String WORKLOAD = "rtt-64";

    private HandoffClient() {
    }

    public static void main(String[] args) throws IOException {
        Path socket = Path.of(args[0]);
        HandoffVariant variant = HandoffVariant.of(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        long server = Long.parseLong(args[4]);
        long self = ProcessHandle.current().pid();
        Histogram samples = Result.newHistogram();
        try (Requester requester = variant.open(SocketChannel.open(UnixDomainSocketAddress.of(socket)))) {
            ContextSwitches selfBefore = null;
            ContextSwitches serverBefore = null;
            for (long i = -warmup; i < count; i++) {
                if (i == 0) {
                    selfBefore = ContextSwitches.of(self);
                    serverBefore = ContextSwitches.of(server);
                }
                long seq = i + warmup;
                long t0 = System.nanoTime();
                long replied = requester.request(seq);
                long took = System.nanoTime() - t0;
                if (replied != seq) {
                    throw new IOException("request " + seq + " got the reply to " + replied);
                }
                if (i >= 0) {
                    samples.recordValue(took);
                }
            }
            Result.printSwitches(variant.label, WORKLOAD, ContextSwitches.between(count, selfBefore,
                    ContextSwitches.of(self), serverBefore, ContextSwitches.of(server)));
            if (!requester.note().isEmpty()) {
                System.out.println("NOTE " + requester.note() + " (warm-up included)");
            }
        }
        Result.printLatency(variant.label, WORKLOAD, samples);
        System.out.println("DONE " + variant.label + " " + samples.getTotalCount());
    }
}
