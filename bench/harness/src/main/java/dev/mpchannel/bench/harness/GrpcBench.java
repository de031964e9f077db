package dev.mpchannel.bench.harness;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What a Java user would pick instead: gRPC-java (grpc-netty) over a Unix domain socket with Netty's epoll
 * transport. Tuned for it, not against it: the payload is raw bytes (a byte[] marshaller, no protobuf), calls run
 * on the event loop ({@code directExecutor} on both sides), one event loop thread per side.
 *
 * <pre>
 *   GrpcBench server SOCKET
 *   GrpcBench client SOCKET WARMUP COUNT SIZES ONEWAY_COUNT:REPS LARGE [DIR N1,N2,... WARMUP ITERS WARMUP_SECONDS]
 *   GrpcBench servers DIR FIRST K
 *   GrpcBench fanout DIR N1,N2,... WARMUP ITERS WARMUP_SECONDS             (prints RESULT lines)
 * </pre>
 *
 * Round trips are unary calls ({@code bench/Echo}); one-way throughput is one client-streaming call
 * ({@code bench/Sink}) carrying the messages, answered with their count when the client half-closes. The fan-out is
 * one client calling N servers at once (async unary calls) and waiting for all N answers; the servers are spread
 * over JVMs like mpchannel's secondaries (up to 24 per JVM, each server with its own event loop thread).
 * gRPC has no descriptor passing: the fd rows are "n/a".
 */
public final class GrpcBench {
    private static final int MAX_MESSAGE = 64 * 1024 * 1024;

    private GrpcBench() {
    }

    /** Raw bytes on the wire: the least gRPC can do per message. */
    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("bench/Echo")
            .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    static final MethodDescriptor<byte[], byte[]> SINK = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.CLIENT_STREAMING).setFullMethodName("bench/Sink")
            .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();

    public static void main(String[] args) throws Exception {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty epoll is not available", Epoll.unavailabilityCause());
        }
        switch (args[0]) {
            case "server" -> serve(Path.of(args[1]));
            case "client" -> client(Path.of(args[1]), args);
            case "servers" -> servers(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "fanout" -> fanout(Path.of(args[1]), Arrays.copyOfRange(args, 1, args.length), null);
            default -> throw new IllegalArgumentException("server|client|servers|fanout, not " + args[0]);
        }
    }

    /** Sockets {@code DIR/g-FIRST.sock} ... : K servers in this JVM, each with its own event loop thread. */
    private static void servers(Path dir, int first, int k) throws Exception {
        List<Server> servers = new ArrayList<>();
        try {
            for (int i = first; i < first + k; i++) {
                servers.add(start(dir.resolve("g-" + i + ".sock")));
            }
            System.out.println("LISTENING");
            System.out.flush();
            servers.get(0).awaitTermination();
        } finally {
            servers.forEach(Server::shutdownNow);
        }
    }

    /**
     * One client, N servers: the same 64 bytes to the first N at once (async unary calls), then wait for every
     * answer; N from the list, in order, on channels made once.
     * <pre>  GrpcBench fanout DIR N1,N2,... WARMUP ITERS WARMUP_SECONDS</pre>
     * (or the same five arguments after the client's own)
     */
    private static void fanout(Path dir, String[] args, ManagedChannel first) throws Exception {
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
                channels.add(channel(dir.resolve("g-" + i + ".sock"), group));
            }
            byte[] body = new byte[64];
            for (int n : ns) {
                long[] samples = new long[iters];
                long warmupEnd = System.nanoTime() + warmupNanos;
                for (int i = -warmup; i < iters; i++) {
                    if (i < 0 && System.nanoTime() > warmupEnd) {
                        i = -1; // the warm-up is bounded in time, like mpchannel's
                        continue;
                    }
                    CountDownLatch answered = new CountDownLatch(n);
                    long t0 = System.nanoTime();
                    for (int k = 0; k < n; k++) {
                        ClientCalls.asyncUnaryCall(channels.get(k).newCall(ECHO, CallOptions.DEFAULT), body,
                                new StreamObserver<byte[]>() {
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
                        samples[i] = System.nanoTime() - t0;
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

    private static void serve(Path socket) throws Exception {
        Server server = start(socket);
        System.out.println("LISTENING");
        System.out.flush();
        try {
            server.awaitTermination();
        } finally {
            server.shutdownNow();
            Files.deleteIfExists(socket);
        }
    }

    private static Server start(Path socket) throws IOException {
        Files.deleteIfExists(socket);
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        EventLoopGroup worker = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        ServerServiceDefinition service = ServerServiceDefinition.builder("bench")
                .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, reply) -> {
                    reply.onNext(request);
                    reply.onCompleted();
                }))
                .addMethod(SINK, ServerCalls.asyncClientStreamingCall(reply -> new StreamObserver<byte[]>() {
                    private long count;

                    @Override
                    public void onNext(byte[] value) {
                        count++;
                    }

                    @Override
                    public void onError(Throwable t) {
                        // the client went away
                    }

                    @Override
                    public void onCompleted() {
                        reply.onNext(ByteBuffer.allocate(8).putLong(count).array());
                        reply.onCompleted();
                    }
                }))
                .build();
        return NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(boss).workerEventLoopGroup(worker)
                .directExecutor()
                .maxInboundMessageSize(MAX_MESSAGE)
                .addService(service)
                .build().start();
    }

    private static ManagedChannel channel(Path socket, EventLoopGroup group) {
        return NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollDomainSocketChannel.class).eventLoopGroup(group)
                .usePlaintext().directExecutor()
                .maxInboundMessageSize(MAX_MESSAGE)
                .build();
    }

    private static void client(Path socket, String[] args) throws Exception {
        int warmup = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        int[] sizes = Arrays.stream(args[4].split(",")).mapToInt(Integer::parseInt).toArray();
        String[] oneway = args[5].split(":");
        String[] large = args[6].isEmpty() ? new String[0] : args[6].split(",");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        ManagedChannel channel = channel(socket, group);
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
                fanout(Path.of(args[7]), Arrays.copyOfRange(args, 7, args.length), channel);
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static void roundTrips(ManagedChannel channel, String workload, int size, int warmup, int count) {
        byte[] body = new byte[size];
        long[] samples = new long[count];
        for (int i = -warmup; i < count; i++) {
            long t0 = System.nanoTime();
            byte[] reply = ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, body);
            if (reply.length != size) {
                throw new IllegalStateException("bad echo");
            }
            if (i >= 0) {
                samples[i] = System.nanoTime() - t0;
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
                    channel.newCall(SINK, CallOptions.DEFAULT), new StreamObserver<byte[]>() {
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
