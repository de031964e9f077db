package dev.mpchannel.transport.wire;

/**
 * The fixed-size part of a frame, decoded and checked against the limits; see {@link FrameCodec}. With
 * {@code sharedParams}, the parameters are not in the body but in shared memory, the first of the descriptors; with
 * {@code segment} as well, that file is a segment its sender reuses, and its token follows the name.
 */
public record FrameHeader(FrameKind kind, int nameLength, int fileDescriptorCount, long requestId, int paramsLength,
        boolean sharedParams, boolean segment) {
}
