package dev.mpchannel.api;

import java.util.List;

/**
 * The outcome of a request: to how many peers it was sent and what each made of it, in the spirit of DPDK's
 * {@code rte_mp_reply} ({@code nb_sent}, {@code nb_received}). Replies that arrived are kept even when other peers
 * time out.
 *
 * @param sent    how many peers the request was written to
 * @param replies one entry per peer it was sent to
 */
public record Replies(int sent, List<Reply> replies) {

    public Replies {
        replies = List.copyOf(replies);
    }

    /** How many peers answered with a reply ({@link Reply.Status#REPLIED}). */
    public int received() {
        return (int) replies.stream().filter(Reply::replied).count();
    }

    /** Whether every peer the request was sent to answered. */
    public boolean complete() {
        return received() == sent;
    }
}
