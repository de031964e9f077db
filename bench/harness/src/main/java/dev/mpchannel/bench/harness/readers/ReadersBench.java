package dev.mpchannel.bench.harness.readers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Many junixsocket connections each read by a thread of its own blocked in {@code read}, the thread a platform one or
 * (Java 21 and later) a virtual one, measured side by side in one JVM: the time of a round (one byte written to every
 * connection, each echoed by its reader, every echo read back) and the platform threads the JVM needs while the
 * readers wait. It tells whether virtual threads would read a primary's many secondaries with few platform threads,
 * as the channel's pollers do: junixsocket parks a virtual thread blocked on a socket and waits for the socket on a
 * platform thread of its own.
 * <p>
 * {@code ReadersBench [--sockets N] [--rounds N] [--warmup N] [--out FILE]} (defaults 1,000 sockets, 50 rounds after
 * 10); the virtual row only on Java 21 and later.
 */
public final class ReadersBench {
    /** How long a round waits for an echo before the variant is reported stalled. */
    static final int STALL_MILLIS = 30_000;

    /** One variant's figures; {@code stalled} says why there are none. */
    record Row(String variant, int sockets, double medianMillis, double p90Millis, int platformThreads,
            int peakPlatformThreads, int threadsBefore, String stalled) {
    }

    private ReadersBench() {
    }

    public static void main(String[] args) throws Exception {
        int sockets = 1000;
        int rounds = 50;
        int warmup = 10;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sockets" -> sockets = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--sockets N, --rounds N, --warmup N, --out FILE)");
            }
        }
        String report = report(sockets, warmup, rounds);
        System.out.print(report);
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report);
        }
    }

    /** Both variants (the virtual one where the JVM has virtual threads) as a Markdown table. */
    static String report(int sockets, int warmup, int rounds) throws Exception {
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "## Reading threads: platform or virtual%n%n%,d junixsocket connections in one JVM, a reader each "
                        + "blocked in read; a round writes a byte to every connection and reads every echo back; "
                        + "%d rounds after %d, Java %d, %d CPUs.%n%n"
                        + "| readers | round, median | round, p90 | platform threads while they wait | peak "
                        + "| before the readers |%n|---|---|---|---|---|---|%n",
                sockets, rounds, warmup, Runtime.version().feature(), Runtime.getRuntime().availableProcessors()));
        List<String> variants = VirtualThreads.available() ? List.of("platform", "virtual") : List.of("platform");
        for (String variant : variants) {
            Row row = run(variant.equals("virtual"), sockets, warmup, rounds);
            if (row.stalled() != null) {
                report.append(String.format(Locale.ROOT, "| %s | **stalled**: %s | – | %d | %d | %d |%n",
                        row.variant(), row.stalled(), row.platformThreads(), row.peakPlatformThreads(),
                        row.threadsBefore()));
            } else {
                report.append(String.format(Locale.ROOT, "| %s | %.2f ms | %.2f ms | %d | %d | %d |%n",
                        row.variant(), row.medianMillis(), row.p90Millis(), row.platformThreads(),
                        row.peakPlatformThreads(), row.threadsBefore()));
            }
        }
        if (!VirtualThreads.available()) {
            report.append(String.format("%nNo virtual row: Java %d has no virtual threads (Java 21 and later).%n",
                    Runtime.version().feature()));
        }
        return report.toString();
    }

    static Row run(boolean virtual, int sockets, int warmup, int rounds) throws Exception {
        Path dir = Files.createTempDirectory("mpchannel-readers-");
        AFUNIXSocketAddress address = AFUNIXSocketAddress.of(dir.resolve("readers.sock").toFile());
        List<AFUNIXSocket> clients = new ArrayList<>(sockets);
        List<AFUNIXSocket> accepted = new ArrayList<>(sockets);
        List<Thread> readers = new ArrayList<>(sockets);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(address)) {
            for (int i = 0; i < sockets; i++) {
                AFUNIXSocket client = AFUNIXSocket.connectTo(address);
                client.setSoTimeout(STALL_MILLIS); // a reader that never echoes ends the variant, not the bench
                clients.add(client);
                accepted.add((AFUNIXSocket) server.accept());
            }
            int before = threads.getThreadCount();
            threads.resetPeakThreadCount();
            for (AFUNIXSocket socket : accepted) {
                Runnable echo = () -> echo(socket);
                Thread reader = virtual ? VirtualThreads.unstarted(echo) : new Thread(echo, "reader");
                reader.setDaemon(true);
                readers.add(reader);
                reader.start();
            }
            String name = virtual ? "virtual thread each" : "platform thread each";
            long[] times = new long[rounds];
            for (int r = 0; r < warmup + rounds; r++) {
                long start = System.nanoTime();
                int missing = round(clients);
                if (missing >= 0) {
                    return new Row(name, sockets, 0, 0, threads.getThreadCount(), threads.getPeakThreadCount(),
                            before, String.format(Locale.ROOT, "round %d waited %d s for the echo of connection %d "
                                    + "of %d", r + 1, STALL_MILLIS / 1000, missing + 1, sockets));
                }
                if (r >= warmup) {
                    times[r - warmup] = System.nanoTime() - start;
                }
            }
            int waiting = threads.getThreadCount();
            int peak = threads.getPeakThreadCount();
            Arrays.sort(times);
            return new Row(name, sockets, times[rounds / 2] / 1e6, times[Math.min(rounds - 1, rounds * 9 / 10)] / 1e6,
                    waiting, peak, before, null);
        } finally {
            for (AFUNIXSocket socket : clients) {
                socket.close();
            }
            for (AFUNIXSocket socket : accepted) {
                socket.close();
            }
            long deadline = System.nanoTime() + 10_000_000_000L; // readers end with their connections: 10 s in all
            for (Thread reader : readers) {
                reader.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
            Files.deleteIfExists(dir.resolve("readers.sock"));
            Files.deleteIfExists(dir);
        }
    }

    /**
     * A byte to every connection, then every echo back.
     *
     * @return -1, or the index of the connection whose echo did not come within {@value #STALL_MILLIS} ms
     */
    private static int round(List<AFUNIXSocket> clients) throws IOException {
        for (AFUNIXSocket client : clients) {
            client.getOutputStream().write(1);
        }
        for (int i = 0; i < clients.size(); i++) {
            try {
                if (clients.get(i).getInputStream().read() < 0) {
                    throw new IOException("a reader closed its connection");
                }
            } catch (SocketTimeoutException stalled) {
                return i;
            }
        }
        return -1;
    }

    /** Echoes every byte until the connection closes. */
    private static void echo(AFUNIXSocket socket) {
        try {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                out.write(b);
            }
        } catch (IOException closed) {
            // the round is over: the bench closed the connection
        }
    }
}
