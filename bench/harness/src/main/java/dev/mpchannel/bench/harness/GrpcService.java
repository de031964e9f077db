package dev.mpchannel.bench.harness;

import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
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

/**
 * The {@link GrpcBench} service as both ends see it: two methods on raw bytes ({@code bench/Echo}, unary;
 * {@code bench/Sink}, client-streaming, answered with the count), the server that implements them, and a client's
 * channel; both on Netty's epoll transport over a Unix domain socket, calls run on the event loop.
 */
final class GrpcService {
    /** Either end takes the large rows' messages (up to 16 MiB) and then some. */
    private static final int MAX_MESSAGE = 64 * 1024 * 1024;

    private GrpcService() {
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

    /** A started server on {@code socket}, with one boss and one worker event loop thread of its own. */
    static Server start(Path socket) throws IOException {
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

    /** A client's channel to {@code socket}, on the caller's event loop. */
    static ManagedChannel channel(Path socket, EventLoopGroup group) {
        return NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollDomainSocketChannel.class).eventLoopGroup(group)
                .usePlaintext().directExecutor()
                .maxInboundMessageSize(MAX_MESSAGE)
                .build();
    }
}
