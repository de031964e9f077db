package dev.mpchannel.itests;

import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * What {@link ChaosIT} counts and checks: counters by name, the invariant violations (each kind counted, the first
 * examples kept), the requests in flight with their deadlines, and the order of numbered messages per stream.
 */
final class ChaosLedger {
    private static final int EXAMPLES = 40;

    /** Exceptions a request or send may end with in this soak: the channel said why it could not be sent. */
    private static final Set<ChannelException.Reason> REFUSALS = Set.of(ChannelException.Reason.CLOSED,
            ChannelException.Reason.NOT_CONNECTED, ChannelException.Reason.UNKNOWN_PEER, ChannelException.Reason.IO);

    private final Map<String, LongAdder> counts = new ConcurrentSkipListMap<>();
    private final AtomicLong violations = new AtomicLong();
    private final Queue<String> examples = new ConcurrentLinkedQueue<>();
    private final AtomicInteger examplesKept = new AtomicInteger();
    private final long slackNanos;
    private final AtomicLong maxOverrunNanos = new AtomicLong(Long.MIN_VALUE);
    private final Map<Op, Boolean> inFlight = new ConcurrentHashMap<>();
    private final Map<Object, Long> lastNumber = new ConcurrentHashMap<>();
    private final Set<Object> arrived = ConcurrentHashMap.newKeySet();

    ChaosLedger(Duration slack) {
        this.slackNanos = slack.toNanos();
    }

    /**
     * One request: what it was, to whom ({@code null}: every peer), its timeout, and how to check a REPLIED answer
     * (a description of what is wrong, or {@code null}).
     */
    static final class Op {
        final String what;
        final Peer target;
        final Duration timeout;
        final Function<Reply, String> verify;
        final boolean async;
        final long start = System.nanoTime();
        final AtomicBoolean flagged = new AtomicBoolean();

        Op(String what, Peer target, Duration timeout, boolean async, Function<Reply, String> verify) {
            this.what = what;
            this.target = target;
            this.timeout = timeout;
            this.async = async;
            this.verify = verify;
        }

        @Override
        public String toString() {
            return (async ? "async " : "") + what + (target == null ? " to all" : " to " + target) + " timeout "
                    + timeout.toMillis() + " ms";
        }
    }

    void count(String name) {
        add(name, 1);
    }

    void add(String name, long amount) {
        counts.computeIfAbsent(name, n -> new LongAdder()).add(amount);
    }

    long get(String name) {
        LongAdder adder = counts.get(name);
        return adder == null ? 0 : adder.sum();
    }

    Map<String, Long> counts() {
        Map<String, Long> snapshot = new ConcurrentSkipListMap<>();
        counts.forEach((name, adder) -> snapshot.put(name, adder.sum()));
        return snapshot;
    }

    void violation(String kind, String detail) {
        violations.incrementAndGet();
        count("violation-" + kind);
        String line = kind + ": " + detail;
        if (examplesKept.incrementAndGet() <= EXAMPLES) {
            examples.add(line);
        }
        System.out.println("CHAOS VIOLATION " + line);
    }

    long violations() {
        return violations.get();
    }

    String examples() {
        return String.join("\n", examples);
    }

    // --- requests ---

    void started(Op op) {
        inFlight.put(op, Boolean.TRUE);
        count(op.async ? "requests-async" : "requests-blocking");
    }

    /** A request ended with its replies after {@code elapsed} nanoseconds: check them. */
    void ended(Op op, Replies replies, long elapsed) {
        inFlight.remove(op);
        checkDuration(op, elapsed);
        if (replies == null) {
            violation("no-replies", op + " completed with null");
            return;
        }
        if (replies.replies().size() != replies.sent()) {
            violation("reply-count", op + ": sent " + replies.sent() + " but " + replies.replies().size()
                    + " replies: " + replies);
        }
        Set<Long> peers = new HashSet<>();
        for (Reply reply : replies.replies()) {
            if (!peers.add(reply.peer().id())) {
                violation("reply-twice", op + ": two replies for " + reply.peer() + ": " + replies);
            }
            if (op.target != null && reply.peer().id() != op.target.id()) {
                violation("reply-from-elsewhere", op + ": a reply from " + reply.peer());
            }
        }
        if (op.target != null && replies.sent() > 1) {
            violation("reply-count", op + ": an addressed request was sent to " + replies.sent());
        }
        add("replies-sent-to", replies.sent());
        for (Reply reply : replies.replies()) {
            count("status-" + reply.status());
            if (reply.status() == Reply.Status.TIMED_OUT && elapsed < op.timeout.toNanos()) {
                violation("early-timeout", op + " TIMED_OUT after " + elapsed / 1_000_000 + " ms");
            }
            if (reply.replied()) {
                String wrong = op.verify.apply(reply);
                if (wrong != null) {
                    violation("wrong-answer", op + " from " + reply.peer() + ": " + wrong);
                }
            }
        }
    }

    /** A request could not be made: a ChannelException is an outcome; anything else is not. */
    void failed(Op op, Throwable error, long elapsed) {
        inFlight.remove(op);
        checkDuration(op, elapsed);
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ChannelException refused && REFUSALS.contains(refused.reason())) {
            count("refused-" + refused.reason());
        } else {
            violation("unexpected-exception", op + ": " + cause);
        }
    }

    /** A send failed with {@code error}: counted if the channel refused it, a violation otherwise. */
    void sendFailed(String what, Exception error) {
        if (error instanceof ChannelException refused && REFUSALS.contains(refused.reason())) {
            count("send-refused-" + refused.reason());
        } else {
            violation("unexpected-exception", what + ": " + error);
        }
    }

    private void checkDuration(Op op, long elapsed) {
        long overrun = elapsed - op.timeout.toNanos();
        maxOverrunNanos.accumulateAndGet(overrun, Math::max);
        if (overrun > slackNanos && op.flagged.compareAndSet(false, true)) {
            violation("outlived-timeout", op + " took " + elapsed / 1_000_000 + " ms");
        }
    }

    /** Flags every request still in flight past its timeout and the slack (checked throughout and at the end). */
    void watch(String when) {
        long now = System.nanoTime();
        for (Op op : inFlight.keySet()) {
            long overdue = now - op.start - op.timeout.toNanos();
            if (overdue > slackNanos && op.flagged.compareAndSet(false, true)) {
                violation("outlived-timeout", op + " still in flight " + (now - op.start) / 1_000_000 + " ms after"
                        + " it started (" + when + ")");
            }
        }
    }

    int inFlight() {
        return inFlight.size();
    }

    /** The largest amount by which a request's duration exceeded its timeout, in ms (negative: none exceeded it). */
    double maxOverrunMillis() {
        long max = maxOverrunNanos.get();
        return max == Long.MIN_VALUE ? 0 : max / 1e6;
    }

    // --- numbered messages ---

    /**
     * Message number {@code n} arrived on {@code stream} (one connection, one sender): it must be the first time
     * {@code unique} arrives anywhere, and greater than every number before it on that stream. Gaps are allowed.
     */
    void arrived(Object stream, Object unique, long n, String what) {
        if (!arrived.add(unique)) {
            violation("duplicate", what + " arrived twice (" + unique + ")");
            return;
        }
        lastNumber.compute(stream, (key, previous) -> {
            if (previous != null && n <= previous) {
                violation("reordered", what + " on " + stream + " after n" + previous);
                return previous;
            }
            return n;
        });
    }
}
