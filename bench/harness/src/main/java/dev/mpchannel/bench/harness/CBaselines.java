package dev.mpchannel.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The C baselines: {@code pingpong.c} from the class path, compiled with gcc into the work dir once per run, then
 * run per pass for every row C has (stream and seqpacket round trips with and without a descriptor, one-way, large
 * messages, fan-out, and a memcpy of each large size), each figure one process.
 */
final class CBaselines {
    private final Spec spec;
    private final Procs procs;
    private final CommandLines commands;
    private final Path pingpong;

    private CBaselines(Spec spec, Procs procs, CommandLines commands, Path pingpong) {
        this.spec = spec;
        this.procs = procs;
        this.commands = commands;
        this.pingpong = pingpong;
    }

    static CBaselines compile(Spec spec, Procs procs, CommandLines commands, Path work)
            throws IOException, InterruptedException {
        Path source = work.resolve("pingpong.c");
        try (InputStream in = CBaselines.class.getResourceAsStream("/c/pingpong.c")) {
            if (in == null) {
                throw new IllegalStateException("c/pingpong.c is not on the class path");
            }
            Files.copy(in, source);
        }
        Path binary = work.resolve("pingpong");
        procs.await(procs.start("gcc", List.of("gcc", "-O2", "-Wall", "-o", binary.toString(), source.toString())), 120);
        return new CBaselines(spec, procs, commands, binary);
    }

    List<Result> run(String pass) throws IOException, InterruptedException {
        Bench.log("C baselines (AF_UNIX, SOCK_STREAM and SOCK_SEQPACKET)");
        List<Result> results = new ArrayList<>();
        String warmup = Integer.toString(Math.min(spec.warmup(), Spec.C_WARMUP));
        String iters = Integer.toString(spec.iters());
        String reps = Integer.toString(spec.reps());
        for (String type : List.of("stream", "seqpacket")) {
            for (int size : spec.sizes()) {
                results.addAll(c(pass, "rtt", type, Integer.toString(size), warmup, iters, reps, "nofd"));
                results.addAll(c(pass, "rtt", type, Integer.toString(size), warmup, iters, reps, "fd"));
            }
            results.addAll(c(pass, "oneway", type, "64", Integer.toString(spec.onewayCount()),
                    Integer.toString(spec.onewayReps())));
        }
        results.addAll(large(pass));
        List<Integer> fanouts = new ArrayList<>(spec.fanout());
        if (spec.scale() > 0) {
            fanouts.add(spec.scale());
        }
        for (int n : fanouts) {
            int count = n == spec.scale() ? spec.scaleIters() : spec.fanoutIters();
            int warm = n == spec.scale() ? spec.scaleWarmup() : spec.fanoutWarmup();
            for (Result r : c(pass, "fanout", "stream", Integer.toString(n), Integer.toString(warm),
                    Integer.toString(count))) {
                // the C fan-out at the scale step is the baseline of mpchannel's broadcast to that many
                results.add(n == spec.scale() && !spec.fanout().contains(n) ? r.as("scale-broadcast-" + n) : r);
            }
        }
        return results;
    }

    /** The large round trips through the socket, and one memcpy of each size. */
    List<Result> large(String pass) throws IOException, InterruptedException {
        List<Result> results = new ArrayList<>();
        for (String large : spec.large()) {
            String[] parts = large.split(":");
            int n = Integer.parseInt(parts[1]);
            results.addAll(c(pass, "rtt", "stream", parts[0], Integer.toString(Math.max(2, n / 5)),
                    Integer.toString(n), "1", "nofd"));
            // one copy of the same size in memory: the floor of anything that goes through shared memory
            results.addAll(c(pass, "memcpy", parts[0], Integer.toString(Math.max(2, n / 5)), Integer.toString(4 * n)));
        }
        return results;
    }

    private List<Result> c(String pass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(commands.pin(pass));
        command.add(pingpong.toString());
        command.addAll(List.of(args));
        return procs.await(procs.start("c-" + String.join("-", args), command), 600).results();
    }
}
