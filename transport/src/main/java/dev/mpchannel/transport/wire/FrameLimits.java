package dev.mpchannel.transport.wire;


/**
 * The largest parameters and the most file descriptors a frame may carry, checked on both sides: by the sender
 * before it writes, by the receiver before it allocates; and the largest parameters sent inline, past which they
 * travel in shared memory (see {@link SharedParams}). A receiver refuses inline parameters longer than
 * {@code inlineMaxBytes}: what one frame in the socket stream can make it hold on the heap is bounded by that, not by
 * {@code maxParamsBytes}, which only shared parameters (mapped, not on the heap) may reach.
 */
public record FrameLimits(int maxParamsBytes, int maxFileDescriptors, int inlineMaxBytes) {
    /** The hard ceiling for parameters: the length must fit the header's u32 and a Java array. */
    public static final int MAX_PARAMS_BYTES = Integer.MAX_VALUE - 64;

    /**
     * The most descriptors one frame can bring in, counting the one that holds shared parameters: SCM_MAX_FD, the
     * most the kernel passes in one sendmsg (the receive buffer is sized for it: socket.AncillaryReceiveBuffer).
     */
    public static final int MAX_RECEIVABLE_FDS = 253;

    public FrameLimits {
        if (inlineMaxBytes < 0) {
            throw new IllegalArgumentException("inline.max.bytes must not be negative, not " + inlineMaxBytes);
        }
        if (maxParamsBytes < 0 || maxParamsBytes > MAX_PARAMS_BYTES) {
            throw new IllegalArgumentException("max.message.bytes must be 0.." + MAX_PARAMS_BYTES + ", not " + maxParamsBytes);
        }
        if (maxFileDescriptors < 0 || maxFileDescriptors > MAX_RECEIVABLE_FDS) {
            throw new IllegalArgumentException("max.fds must be 0.." + MAX_RECEIVABLE_FDS + " (the most the kernel "
                    + "passes in one message), not " + maxFileDescriptors);
        }
    }

    /** Whether parameters of this length travel in shared memory rather than inline. */
    public boolean shared(int paramsLength) {
        return paramsLength > inlineMaxBytes;
    }
}
