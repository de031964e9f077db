package dev.mpchannel.transport.wire;

import dev.mpchannel.api.Message;

/**
 * The largest parameters and the most file descriptors a frame may carry, checked on both sides: by the sender
 * before it writes, by the receiver before it allocates.
 */
public record FrameLimits(int maxParamsBytes, int maxFileDescriptors) {
    /** The hard ceiling for parameters: the length must fit the header's u32 and a Java array. */
    public static final int MAX_PARAMS_BYTES = Integer.MAX_VALUE - 64;

    public static final FrameLimits DEFAULT = new FrameLimits(65536, 8);

    public FrameLimits {
        if (maxParamsBytes < 0 || maxParamsBytes > MAX_PARAMS_BYTES) {
            throw new IllegalArgumentException("max.message.bytes must be 0.." + MAX_PARAMS_BYTES + ", not " + maxParamsBytes);
        }
        if (maxFileDescriptors < 0 || maxFileDescriptors > Message.MAX_FILE_DESCRIPTORS) {
            throw new IllegalArgumentException(
                    "max.fds must be 0.." + Message.MAX_FILE_DESCRIPTORS + ", not " + maxFileDescriptors);
        }
    }
}
