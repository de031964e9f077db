package dev.mpchannel.transport.socket;

import java.nio.file.Path;

/**
 * The wire a channel runs on, as far as the channel's runtime needs to know it: where the primary is, how a
 * secondary reaches it, and what a message must fit beyond the channel's frame limits. mpchannel's own wire is a
 * {@link StreamWire}; DPDK's is in the {@code dpdk} package. The runtime holds one and asks it, so that it never
 * tests which wire it is on.
 */
public interface Wire {
    /** The socket of the channel's primary: where a primary listens, or where a secondary connects. */
    Path primarySocket();

    /** A new link to the primary, for a secondary's connect loop (which closes it). */
    PrimaryLink linkToPrimary();

    /**
     * Why this wire cannot carry a message of this shape, beyond the channel's own limits, or {@code null} if it can.
     *
     * @param action       the action's name
     * @param paramsLength the length of its parameters in bytes
     * @param fds          how many descriptors it carries
     */
    String refusal(String action, int paramsLength, int fds);

    /** Whether large parameters may travel in shared memory (a frame of mpchannel's own wire). */
    boolean carriesSharedMemory();

    /** Whether a requester can tell the peer that it gave up on a request (mpchannel's own wire can, DPDK's not). */
    boolean carriesCancel();
}
