package dev.mpchannel.bench.harness;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** The gRPC counterpart of mpchannel's request to N secondaries: one client, N servers (see {@link GrpcBench}). */
final class GrpcFanout {
    private GrpcFanout() {
    }

    /**
     * One client, N servers: the same 64 bytes to the first N at once (async unary calls), then wait for every
     * answer; N from the list, in order, on channels made once.
     * <pre>  GrpcBench fanout DIR N1,N2,... WARMUP ITERS WARMUP_SECONDS</pre>
     * (or the same five arguments after the client's own)
     */
    static void run(Path dir, String[] args, ManagedChannel first) throws Exception {
        int[] ns = Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
        int warmup = Integer.parseInt(args[2]);
        int iters = Integer.parseInt(args[3]);
        long warmupNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
        int max = Arrays.stream(ns).max().orElse(0);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        List<ManagedChannel> channels = new ArrayList<>();
        try {
            if (first != null) {
                channels.add(first);
            }
            for (int i = channels.size(); i < max; i++) {
                channels.add(GrpcService.channel(dir.resolve("g-" + i + ".sock"), group));
            }
            byte[] body = new byte[64];
            for (int n : ns) {
                Histogram samples = Result.newHistogram();
                long warmupEnd = System.nanoTime() + warmupNanos;
                for (int i = -warmup; i < iters; i++) {
                    if (i < 0 && System.nanoTime() > warmupEnd) {
                        i = -1; // the warm-up is bounded in time, like mpchannel's
                        continue;
                    }
                    CountDownLatch answered = new CountDownLatch(n);
                    long t0 = System.nanoTime();
                    for (int k = 0; k < n; k++) {
                        ClientCalls.asyncUnaryCall(channels.get(k).newCall(GrpcService.ECHO, CallOptions.DEFAULT),
                                body, new StreamObserver<byte[]>() {
                                    @Override
                                    public void onNext(byte[] value) {
                                        answered.countDown();
                                    }

                                    @Override
                                    public void onError(Throwable t) {
                                        t.printStackTrace();
                                    }

                                    @Override
                                    public void onCompleted() {
                                        // counted in onNext
                                    }
                                });
                    }
                    if (!answered.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("fan-out to " + n + " gRPC servers timed out");
                    }
                    if (i >= 0) {
                        samples.recordValue(System.nanoTime() - t0);
                    }
                }
                Result.printLatency("grpc", "fanout-" + n, samples);
            }
        } finally {
            for (ManagedChannel channel : channels) {
                if (channel != first) {
                    channel.shutdownNow();
                }
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
