package dev.mpchannel.bench.harness;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The {@link GrpcBench} client: round trips as blocking unary calls, one-way throughput as one client-streaming call
 * per repetition, the large rows, then (when asked) the fan-out in this same warm JVM. Arguments: see
 * {@link GrpcBench}.
 */
final class GrpcClient {
    private GrpcClient() {
    }

    static void run(Path socket, String[] args) throws Exception {
        int warmup = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        int[] sizes = Arrays.stream(args[4].split(",")).mapToInt(Integer::parseInt).toArray();
        String[] oneway = args[5].split(":");
        String[] large = args[6].isEmpty() ? new String[0] : args[6].split(",");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        ManagedChannel channel = GrpcService.channel(socket, group);
        try {
            for (int size : sizes) {
                roundTrips(channel, "rtt-" + size, size, warmup, count);
            }
            oneway(channel, Integer.parseInt(oneway[0]), Integer.parseInt(oneway[1]));
            for (String spec : large) {
                String[] parts = spec.split(":");
                int n = Integer.parseInt(parts[1]);
                roundTrips(channel, "rtt-" + parts[0], Integer.parseInt(parts[0]), Math.max(2, n / 5), n);
            }
            if (args.length > 7) {
                // the fan-out in this same, warm JVM, as mpchannel's driver does it in its one primary
                // its first server is this client's (warm) server, as mpchannel's first secondary is the one that
                // served the round trips; the others are g-1.sock ... in DIR
                GrpcFanout.run(Path.of(args[7]), Arrays.copyOfRange(args, 7, args.length), channel);
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static void roundTrips(ManagedChannel channel, String workload, int size, int warmup, int count) {
        byte[] body = new byte[size];
        Histogram samples = Result.newHistogram();
        for (int i = -warmup; i < count; i++) {
            long t0 = System.nanoTime();
            byte[] reply = ClientCalls.blockingUnaryCall(channel, GrpcService.ECHO, CallOptions.DEFAULT, body);
            if (reply.length != size) {
                throw new IllegalStateException("bad echo");
            }
            if (i >= 0) {
                samples.recordValue(System.nanoTime() - t0);
            }
        }
        Result.printLatency("grpc", workload, samples);
    }

    private static void oneway(ManagedChannel channel, int count, int reps) throws Exception {
        byte[] body = new byte[64];
        double[] rates = new double[reps];
        for (int r = -1; r < reps; r++) {
            CompletableFuture<Long> counted = new CompletableFuture<>();
            long t0 = System.nanoTime();
            StreamObserver<byte[]> requests = ClientCalls.asyncClientStreamingCall(
                    channel.newCall(GrpcService.SINK, CallOptions.DEFAULT), new StreamObserver<byte[]>() {
                        @Override
                        public void onNext(byte[] value) {
                            counted.complete(ByteBuffer.wrap(value).getLong());
                        }

                        @Override
                        public void onError(Throwable t) {
                            counted.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                            counted.completeExceptionally(new IllegalStateException("no count"));
                        }
                    });
            for (int i = 0; i < count; i++) {
                requests.onNext(body);
            }
            requests.onCompleted();
            long got = counted.get(60, TimeUnit.SECONDS);
            if (got != count) {
                throw new IllegalStateException("the server counted " + got + ", not " + count);
            }
            if (r >= 0) {
                rates[r] = count * 1e9 / (System.nanoTime() - t0);
            }
        }
        Result.printRates("grpc", "oneway-64", rates);
    }
}
