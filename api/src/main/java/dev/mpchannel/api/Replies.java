package dev.mpchannel.api;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a request: to how many peers it was sent and what each made of it, in the spirit of DPDK's
 * {@code rte_mp_reply} ({@code nb_sent}, {@code nb_received}). Replies that arrived are kept even when other peers
 * time out.
 * <pre>{@code
 * Replies replies = channel.request(Message.of("vswitch.stats"), Duration.ofSeconds(1));
 * System.out.println(replies.received() + " of " + replies.sent() + " secondaries answered");
 * }</pre>
 * Replies with large parameters (over the channel's {@code inline.max.bytes}) read them in shared memory that the
 * answering peer reuses once this side lets go of it: when the garbage collector finds them unreachable, or at once
 * with {@link #close()}:
 * <pre>{@code
 * try (Replies replies = channel.request(peer, Message.of("frame.grab"), Duration.ofSeconds(1))) {
 *     encoder.write(replies.replies().get(0).message().paramsBuffer()); // read while open, not kept
 * }
 * }</pre>
 *
 * @since 2.0
 */
public final class Replies implements AutoCloseable {
    private final int sent;
    private final List<Reply> replies;
    private final Runnable release;

    private Replies(int sent, List<Reply> replies, Runnable release) {
        this.sent = sent;
        this.replies = List.copyOf(replies);
        this.release = Objects.requireNonNull(release, "release");
    }

    /**
     * The outcome of a request sent to {@code sent} peers.
     *
     * @param replies one entry per peer it was sent to
     */
    public static Replies of(int sent, List<Reply> replies) {
        return new Replies(sent, replies, () -> { });
    }

    /**
     * The outcome of a request sent to {@code sent} peers, whose {@link #close()} runs {@code release} (a channel
     * lets go of the memory that holds the replies' parameters; it must do so once however often it is called).
     *
     * @param replies one entry per peer it was sent to
     */
    public static Replies of(int sent, List<Reply> replies, Runnable release) {
        return new Replies(sent, replies, release);
    }

    /** How many peers the request was written to. */
    public int sent() {
        return sent;
    }

    /** One entry per peer the request was sent to. */
    public List<Reply> replies() {
        return replies;
    }

    /** How many peers answered with a reply ({@link Reply.Status#REPLIED}). */
    public int received() {
        return (int) replies.stream().filter(Reply::replied).count();
    }

    /** Whether every peer the request was sent to answered. */
    public boolean complete() {
        return received() == sent;
    }

    /**
     * Lets the channel reuse at once the shared memory that holds the replies' large parameters, rather than when the
     * garbage collector finds them unreachable. Afterwards their parameters must not be read, neither through the
     * replies' messages nor through buffers taken from them: the peer may be writing other bytes there already. Copy
     * what you keep before ({@link Message#params()}). Closing is never needed for correctness; a second close does
     * nothing.
     */
    @Override
    public void close() {
        release.run();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Replies r && sent == r.sent && replies.equals(r.replies);
    }

    @Override
    public int hashCode() {
        return 31 * sent + replies.hashCode();
    }

    @Override
    public String toString() {
        return "Replies[sent " + sent + ", " + replies + "]";
    }
}
