package dev.mpchannel.bench.harness.handoff;

import dev.mpchannel.bench.harness.Bench;
import dev.mpchannel.bench.harness.CommandLines;
import dev.mpchannel.bench.harness.Procs;
import dev.mpchannel.bench.harness.Provenance;
import dev.mpchannel.bench.harness.Result;
import dev.mpchannel.bench.harness.WorkDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Who should read a reply: a 64-byte request/echo round trip between two JVMs over a Unix domain socket (the JDK's
 * SocketChannel in every variant, so that they differ only in who reads), each {@link HandoffVariant} against the
 * caller reading its own reply (direct), unpinned and pinned (taskset -c CPU on both processes). Per pass: one
 * {@link HandoffEcho} server, one {@link HandoffClient} JVM per variant.
 *
 * <pre>
 *   HandoffBench [--out DIR] [--warmup N] [--rounds N] [--passes unpinned,pinned] [--cpu N]
 * </pre>
 * Prints a Markdown table and writes it to {@code DIR/handoff.md}; the processes' logs go to {@code DIR/handoff/logs}.
 * Every process it starts is stopped, also on failure or Ctrl-C.
 */
public final class HandoffBench {
    /** One variant's figures in one pass. */
    record Row(String pass, HandoffVariant variant, Result result, String note) {
    }

    private final List<String> passes;
    private final String cpu;
    private final int warmup;
    private final int rounds;
    private final String classpath;
    private final String javaBin;

    HandoffBench(List<String> passes, String cpu, int warmup, int rounds) {
        for (String pass : passes) {
            if (!pass.equals("unpinned") && !pass.equals("pinned")) {
                throw new IllegalArgumentException("a pass is unpinned or pinned, not " + pass);
            }
        }
        if (warmup < 0 || rounds < 1) {
            throw new IllegalArgumentException("--warmup must be >= 0 and --rounds >= 1");
        }
        this.passes = passes;
        this.cpu = cpu;
        this.warmup = warmup;
        this.rounds = rounds;
        this.classpath = System.getProperty("bench.classpath", System.getProperty("java.class.path"));
        this.javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("bench/target");
        List<String> passes = List.of("unpinned", "pinned");
        String cpu = "1";
        int warmup = 20_000;
        int rounds = 50_000;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--out" -> out = Path.of(value);
                case "--passes" -> passes = Arrays.asList(value.split(","));
                case "--cpu" -> cpu = value;
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (HandoffBench [--out DIR] "
                        + "[--warmup N] [--rounds N] [--passes unpinned,pinned] [--cpu N])");
            }
            i++;
        }
        HandoffBench bench = new HandoffBench(passes, cpu, warmup, rounds);
        String markdown = bench.markdown(bench.run(out.resolve("handoff")));
        System.out.println();
        System.out.println(markdown);
        Files.createDirectories(out);
        Files.writeString(out.resolve("handoff.md"), markdown);
        System.out.println("written: " + out.resolve("handoff.md"));
    }

    /** Runs every pass; the processes' logs are kept in {@code logsDir/logs}. */
    List<Row> run(Path logsDir) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        WorkDir work = WorkDir.create();
        try (Procs procs = work.startProcs()) {
            CommandLines commands = new CommandLines(cpu, javaBin, classpath, null,
                    Files.createDirectories(work.path().resolve("tmp")));
            for (String pass : passes) {
                Bench.log("=== hand-off pass: " + pass + (pass.equals("pinned") ? " (taskset -c " + cpu + ")" : ""));
                rows.addAll(pass(procs, commands, pass, work.path().resolve(pass + ".sock")));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("handoff: failed; the processes' logs are in " + logsDir.resolve("logs"));
            throw e;
        } finally {
            work.keepLogsAndDelete(logsDir);
        }
        return rows;
    }

    private List<Row> pass(Procs procs, CommandLines commands, String pass, Path socket)
            throws IOException, InterruptedException {
        Procs.Proc server = procs.start("echo-" + pass, commands.java(pass, List.of(), HandoffEcho.class,
                List.of(socket.toString())));
        procs.awaitLog(server, "LISTENING", 60);
        List<Row> rows = new ArrayList<>();
        for (HandoffVariant variant : HandoffVariant.values()) {
            Bench.log(variant.label);
            Procs.Proc client = procs.await(procs.start(variant.label + "-" + pass, commands.java(pass, List.of(),
                    HandoffClient.class, List.of(socket.toString(), variant.label, Integer.toString(warmup),
                            Integer.toString(rounds), Long.toString(server.process().pid())))), 300);
            Optional<Result> result = client.results().stream()
                    .filter(r -> r.impl().equals(variant.label) && r.switches() != null).findFirst();
            String note = Files.readAllLines(client.log()).stream().filter(l -> l.startsWith("NOTE "))
                    .map(l -> l.substring(5)).findFirst().orElse("");
            rows.add(new Row(pass, variant, result.orElseThrow(() -> new IOException(variant.label
                    + " printed no figures:\n" + client.tail())), note));
        }
        server.process().destroy();
        server.process().waitFor(5, TimeUnit.SECONDS);
        return rows;
    }

    /** The table: each variant's latency and context switches, and its ratio to direct in the same pass. */
    String markdown(List<Row> rows) {
        StringBuilder md = new StringBuilder();
        md.append("# Who reads the reply: hand-off, leader/follower, sticky leader\n\n");
        md.append(String.format(Locale.ROOT, "64 B request, echoed; JDK SocketChannel over a Unix domain socket, two "
                + "JVMs; %,d round trips after %,d of warm-up per variant; pinned: taskset -c %s on both processes. "
                + "Context switches: voluntary + involuntary of every thread of the process, per round trip. "
                + "Machine: %s; %d CPUs; load average (1 min) at the end %s.%n%n", rounds, warmup, cpu,
                Provenance.machine(), Runtime.getRuntime().availableProcessors(), Provenance.loadAverage()));
        md.append("| pass | variant | p50 µs | p99 µs | p50 / direct | p99 / direct | requester ctx sw / rt "
                + "(vol + invol) | echo server ctx sw / rt |\n");
        md.append("|---|---|--:|--:|--:|--:|--:|--:|\n");
        for (Row row : rows) {
            Result direct = rows.stream().filter(r -> r.pass.equals(row.pass) && r.variant == HandoffVariant.DIRECT)
                    .findFirst().map(Row::result).orElse(null);
            Result.Switches s = row.result.switches();
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %s | %s | %.2f (%.2f + %.2f) | %.2f |%n",
                    row.pass, row.variant.label, row.result.p50() / 1000, row.result.p99() / 1000,
                    ratio(row.result.p50(), direct == null ? 0 : direct.p50()),
                    ratio(row.result.p99(), direct == null ? 0 : direct.p99()), s.requesterPerOp(),
                    s.requesterVoluntary() / (double) s.ops(), s.requesterInvoluntary() / (double) s.ops(),
                    s.responderPerOp()));
        }
        md.append('\n');
        for (Row row : rows) {
            if (!row.note.isEmpty()) {
                md.append("- ").append(row.pass).append(", ").append(row.variant.label).append(": ").append(row.note)
                        .append(".\n");
            }
        }
        md.append("\nVariants:\n\n");
        for (HandoffVariant v : HandoffVariant.values()) {
            md.append("- ").append(v.label).append(": ").append(v.description).append('\n');
        }
        return md.toString();
    }

    private static String ratio(double value, double direct) {
        return direct > 0 ? String.format(Locale.ROOT, "%.2fx", value / direct) : "-";
    }
}
