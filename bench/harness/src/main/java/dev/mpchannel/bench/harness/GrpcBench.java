package dev.mpchannel.bench.harness;

import io.grpc.Server;
import io.netty.channel.epoll.Epoll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
 * <p>
 * This class starts the servers; the service both ends share is {@link GrpcService}, the client
 * {@link GrpcClient}, the fan-out {@link GrpcFanout}.
 */
public final class GrpcBench {
    private GrpcBench() {
    }

    public static void main(String[] args) throws Exception {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty epoll is not available", Epoll.unavailabilityCause());
        }
        switch (args[0]) {
            case "server" -> serve(Path.of(args[1]));
            case "client" -> GrpcClient.run(Path.of(args[1]), args);
            case "servers" -> servers(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "fanout" -> GrpcFanout.run(Path.of(args[1]), Arrays.copyOfRange(args, 1, args.length), null);
            default -> throw new IllegalArgumentException("server|client|servers|fanout, not " + args[0]);
        }
    }

    private static void serve(Path socket) throws Exception {
        Server server = GrpcService.start(socket);
        System.out.println("LISTENING");
        System.out.flush();
        try {
            server.awaitTermination();
        } finally {
            server.shutdownNow();
            Files.deleteIfExists(socket);
        }
    }

    /** Sockets {@code DIR/g-FIRST.sock} ... : K servers in this JVM, each with its own event loop thread. */
    private static void servers(Path dir, int first, int k) throws Exception {
        List<Server> servers = new ArrayList<>();
        try {
            for (int i = first; i < first + k; i++) {
                servers.add(GrpcService.start(dir.resolve("g-" + i + ".sock")));
            }
            System.out.println("LISTENING");
            System.out.flush();
            servers.get(0).awaitTermination();
        } finally {
            servers.forEach(Server::shutdownNow);
        }
    }
}
