package dev.mpchannel.bench.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table's rows: which workloads, in which order, under which label, and which baseline row each mpchannel row
 * is compared with. The leading digit of a label is the workload group (bench/README.md).
 */
final class WorkloadRows {
    private WorkloadRows() {
    }

    /** The workloads in table order, with their labels. */
    static Map<String, String> of(Iterable<Result> results) {
        Map<String, String> rows = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        results.forEach(r -> seen.add(r.workload()));
        rows.put("rtt-64", "1 request/reply 64 B");
        rows.put("rtt-1024", "1 request/reply 1 KiB");
        rows.put("rtt-inline-64", "1 request/reply 64 B, inline action");
        rows.put("rtt-inline-1024", "1 request/reply 1 KiB, inline action");
        rows.put("rtt-park-64", "1 request/reply 64 B, caller parked (request.spin.us=0)");
        rows.put("rtt-park-inline-64", "1 request/reply 64 B, inline action, caller parked (request.spin.us=0)");
        rows.put("rtt-pooled-64", "1 request/reply 64 B, action on the action threads (reader.handoff.us=0)");
        rows.put("rtt-pooled-inline-64", "1 request/reply 64 B, inline action, in that run (reader.handoff.us=0)");
        rows.put("rtt-fd-64", "2 + 1 fd each way, 64 B");
        rows.put("rtt-fd-1024", "2 + 1 fd each way, 1 KiB");
        rows.put("oneway-64", "3 one-way send 64 B (msg/s)");
        rows.put("oneway-inline-64", "3 one-way send 64 B, inline sink (msg/s)");
        rows.put("oneway-batch-64", "3 one-way sendAll, 32 x 64 B a call (msg/s)");
        rows.put("oneway-batch-inline-64", "3 one-way sendAll, 32 x 64 B a call, inline sink (msg/s)");
        seen.stream().filter(w -> w.matches("fanout-\\d+")).distinct()
                .sorted((a, b) -> Integer.compare(n(a), n(b)))
                .forEach(w -> {
                    rows.put(w, "4 request to " + n(w) + " secondar" + (n(w) == 1 ? "y" : "ies"));
                    rows.put("fanout-seq-" + n(w), "4 the same " + n(w) + ", one request after another");
                });
        seen.stream().filter(w -> w.startsWith("scale-broadcast-")).distinct()
                .forEach(w -> rows.put(w, "5 request to " + n(w) + " secondaries"));
        rows.put("scale-heap-per-secondary", "5 primary heap per secondary");
        rows.put("scale-rss-per-secondary", "5 primary RSS per secondary");
        rows.put("scale-fds-per-secondary", "5 primary fds per secondary");
        rows.put("scale-threads-per-secondary", "5 primary threads per secondary");
        seen.stream().filter(w -> w.startsWith("scale-threaded-broadcast-")).distinct()
                .forEach(w -> rows.put(w, "5 the same, a reading thread per secondary (read.threads=" + n(w) + ")"));
        rows.put("scale-threaded-rss-per-secondary", "5 primary RSS per secondary, in that run");
        rows.put("scale-threaded-threads-per-secondary", "5 primary threads per secondary, in that run");
        seen.stream().filter(w -> w.matches("rtt-\\d+") && Integer.parseInt(w.substring(4)) > 1024).distinct()
                .sorted((a, b) -> Integer.compare(n(a), n(b)))
                .forEach(w -> {
                    rows.put(w, "6 request/reply " + size(n(w)) + (n(w) > 65536 ? " (shared memory)" : ""));
                    if (n(w) > 65536) { // over the default inline limit: the same bytes, both ways
                        rows.put("rtt-socket-" + n(w), "6 the same " + size(n(w)) + " through the socket");
                    }
                });
        rows.keySet().retainAll(seen);
        return rows;
    }

    /** The DPDK rows, in table order, with their labels (see {@link DpdkRows}). */
    static final Map<String, String> DPDK = new LinkedHashMap<>();

    static {
        DPDK.put("dpdk-primary-to-secondary", "7 DPDK primary → DPDK secondary: rte_mp_request_sync, dpdk.echo");
        DPDK.put("dpdk-secondary-to-primary", "7 DPDK secondary → DPDK primary: rte_mp_request_sync, dpdk.echo");
        DPDK.put("dpdk-primary-to-java", "7 DPDK primary → Java peer (wire=dpdk): bench.echo on the pool");
        DPDK.put("dpdk-primary-to-java-inline", "7 DPDK primary → Java peer (wire=dpdk): bench.echo-inline");
        DPDK.put("dpdk-java-to-primary", "7 Java peer (wire=dpdk) → DPDK primary: dpdk.echo");
    }

    /** The DPDK-to-DPDK row a DPDK row with a Java peer compares with: the same direction, a DPDK secondary. */
    static String dpdkBaselineOf(String workload) {
        return workload.equals("dpdk-java-to-primary") ? "dpdk-secondary-to-primary"
                : workload.startsWith("dpdk-primary-to-java") ? "dpdk-primary-to-secondary" : null;
    }

    /**
     * A workload's label for one implementation's figure: only mpchannel's large rows go through shared memory, the
     * baselines' same row through their socket.
     */
    static String label(String workload, Iterable<Result> results, String impl) {
        String label = label(workload, results);
        return impl.equals(Report.MP) ? label : label.replace(" (shared memory)", "");
    }

    /** Any workload's label: the table's, a DPDK row's, a memcpy's, else its name. */
    static String label(String workload, Iterable<Result> results) {
        if (DPDK.containsKey(workload)) {
            return DPDK.get(workload);
        }
        if (workload.startsWith("memcpy-")) {
            return "6 memcpy of " + size(n(workload)) + " (C, one copy)";
        }
        return of(results).getOrDefault(workload, workload);
    }

    /** The baselines' workload an mpchannel row compares with: an inline-action row with the plain round trip. */
    static String baselineOf(String workload) {
        return workload.replace("rtt-park-", "rtt-").replace("rtt-pooled-", "rtt-").replace("rtt-inline-", "rtt-").replace("rtt-socket-", "rtt-")
                .replace("oneway-batch-", "oneway-").replace("oneway-inline-", "oneway-");
    }

    /** The number a workload's name ends with: a size or how many secondaries. */
    static int n(String workload) {
        return Integer.parseInt(workload.substring(workload.lastIndexOf('-') + 1));
    }

    static String size(int bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : bytes >= 1024 ? (bytes >> 10) + " KiB" : bytes + " B";
    }
}
