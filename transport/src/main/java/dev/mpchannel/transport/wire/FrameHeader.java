package dev.mpchannel.transport.wire;

/** The fixed-size part of a frame, decoded and checked against the limits; see {@link FrameCodec}. */
public record FrameHeader(FrameKind kind, int nameLength, int fileDescriptorCount, long requestId, int paramsLength) {

    /** How many bytes follow the header: the name, then the parameters. */
    public int bodyLength() {
        return nameLength + paramsLength;
    }
}
