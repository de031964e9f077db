package dev.mpchannel.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Java baselines, each a server JVM and a client JVM that prints the figures: the bare socket ping-pongs
 * ({@link PingPong}, junixsocket and the JDK's SocketChannel) and gRPC ({@link GrpcBench}, with extra server JVMs for
 * its fan-out).
 */
final class JavaBaselines {
    private final Spec spec;
    private final Procs procs;
    private final CommandLines commands;
    private final Path work;

    JavaBaselines(Spec spec, Procs procs, CommandLines commands, Path work) {
        this.spec = spec;
        this.procs = procs;
        this.commands = commands;
        this.work = work;
    }

    /** The {@link PingPong} rows of one socket implementation: junixsocket or jdk. */
    List<Result> pingPong(String pass, String impl) throws IOException, InterruptedException {
        Bench.log("Java baseline: " + impl);
        Path socket = work.resolve(impl + ".sock");
        Procs.Proc server = procs.start(impl + "-server", commands.java(pass, List.of(), PingPong.class,
                List.of("server", impl, socket.toString())));
        procs.awaitLog(server, "LISTENING", 60);
        List<String> args = new ArrayList<>(List.of("client", impl, socket.toString()));
        args.addAll(spec.clientArgs());
        args.add(Long.toString(server.process().pid())); // for its context switches (taskset execs: the same pid)
        List<Result> results = procs.await(procs.start(impl + "-client",
                commands.java(pass, List.of(), PingPong.class, args)), 900).results();
        server.process().waitFor(5, TimeUnit.SECONDS); // it ends when the client does
        return results;
    }

    List<Result> grpc(String pass) throws IOException, InterruptedException {
        Bench.log("gRPC baseline (grpc-netty, epoll, Unix domain socket)");
        Path socket = work.resolve("grpc.sock");
        Procs.Proc server = procs.start("grpc-server", commands.java(pass, List.of(), GrpcBench.class,
                List.of("server", socket.toString())));
        // for the fan-out: max(N) - 1 more servers, spread over JVMs as mpchannel's added secondaries are
        Path dir = Files.createDirectories(work.resolve("grpc-fanout"));
        List<Procs.Proc> hosts = new ArrayList<>();
        int first = 1; // server 0 is the one above
        for (int k : FanoutHosts.sizes(spec)) {
            hosts.add(procs.start("grpc-servers-" + k, commands.java(pass, List.of(), GrpcBench.class,
                    List.of("servers", dir.toString(), Integer.toString(first), Integer.toString(k)))));
            first += k;
        }
        procs.awaitLog(server, "LISTENING", 60);
        for (Procs.Proc host : hosts) {
            procs.awaitLog(host, "LISTENING", 120);
        }
        // one client JVM for every gRPC workload, as one primary runs every mpchannel workload
        List<String> args = new ArrayList<>(List.of("client", socket.toString()));
        args.addAll(spec.clientArgs());
        args.addAll(List.of(dir.toString(), Spec.join(spec.fanout()), Integer.toString(spec.fanoutWarmup()),
                Integer.toString(spec.fanoutIters()), Integer.toString(spec.warmupSeconds())));
        List<Result> results = procs.await(procs.start("grpc-client",
                commands.java(pass, List.of(), GrpcBench.class, args)), 900).results();
        List<Procs.Proc> all = new ArrayList<>(hosts);
        all.add(server);
        all.forEach(p -> p.process().destroy());
        for (Procs.Proc p : all) {
            p.process().waitFor(5, TimeUnit.SECONDS);
        }
        return results;
    }
}
