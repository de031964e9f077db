package dev.mpchannel.api;

import java.util.List;

/**
 * The outcome of a request: to how many peers it was sent and what each made of it, in the spirit of DPDK's
 * {@code rte_mp_reply} ({@code nb_sent}, {@code nb_received}). Replies that arrived are kept even when other peers
 * time out.
 * <pre>{@code
 * Replies replies = channel.request(Message.of("vswitch.stats"), Duration.ofSeconds(1));
 * System.out.println(replies.received() + " of " + replies.sent() + " secondaries answered");
 * }</pre>
 *
 * @since 2.0
 */
public final class Replies {
    private final int sent;
    private final List<Reply> replies;

    private Replies(int sent, List<Reply> replies) {
        this.sent = sent;
        this.replies = List.copyOf(replies);
    }

    /**
     * The outcome of a request sent to {@code sent} peers.
     *
     * @param replies one entry per peer it was sent to
     */
    public static Replies of(int sent, List<Reply> replies) {
        return new Replies(sent, replies);
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
