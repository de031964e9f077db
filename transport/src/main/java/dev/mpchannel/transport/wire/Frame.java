package dev.mpchannel.transport.wire;

import dev.mpchannel.api.Message;
import java.io.FileDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One unit on the wire: a kind, a request id (0 for a plain message), and the message it carries. A frame sent to
 * many peers is encoded once: the first write keeps its bytes for the others.
 */
public final class Frame {
    private final FrameKind kind;
    private final long requestId;
    private final Message message;
    private volatile byte[] encoded; // the inline encoding, once a writer asked for it
    private final FileDescriptor sharedParams; // the parameters' file, when made once for many peers
    private final SegmentLease lease; // a received frame's hold on the peer's segment its parameters are in, or null

    public Frame(FrameKind kind, long requestId, Message message) {
        this(kind, requestId, message, null, null);
    }

    private Frame(FrameKind kind, long requestId, Message message, FileDescriptor sharedParams, SegmentLease lease) {
        this.kind = kind;
        this.requestId = requestId;
        this.message = message;
        this.sharedParams = sharedParams;
        this.lease = lease;
    }

    Frame withLease(SegmentLease held) {
        return new Frame(kind, requestId, message, sharedParams, held);
    }

    /**
     * This received frame for a consumer that promises to read its parameters only until it releases them on purpose
     * ({@link SegmentLease#release(Message)} with the returned frame's message): parameters in a peer's segment are
     * then read through the connection's long-lived mapping of it, with no mapping or page fault of their own, and the
     * garbage collector no longer releases them. Any other frame is returned as it is.
     */
    public Frame withScopedParams() {
        if (lease == null) {
            return this;
        }
        Message scoped = lease.scoped(message);
        return scoped == message ? this : new Frame(kind, requestId, scoped, sharedParams, null);
    }

    /**
     * This frame with its parameters already in a shared-memory file ({@link SharedParams#create}), made once for
     * many peers: a writer sends that file's descriptor rather than making one of its own. The caller closes it once
     * every write is done.
     */
    public Frame withSharedParams(FileDescriptor file) {
        return new Frame(kind, requestId, message, file, null);
    }

    /** The file holding the parameters, made once for many peers; {@code null} when each writer makes its own. */
    public FileDescriptor sharedParams() {
        return sharedParams;
    }

    public static Frame message(Message message) {
        return new Frame(FrameKind.MESSAGE, 0, message);
    }

    public static Frame request(long requestId, Message message) {
        return new Frame(FrameKind.REQUEST, requestId, message);
    }

    public static Frame reply(long requestId, Message message) {
        return new Frame(FrameKind.REPLY, requestId, message);
    }

    /** An IGNORED or FAILED answer: the parameters carry the reason as UTF-8. */
    public static Frame refusal(FrameKind kind, long requestId, String action, String reason) {
        return new Frame(kind, requestId, Message.of(action, reason.getBytes(StandardCharsets.UTF_8)));
    }

    public FrameKind kind() {
        return kind;
    }

    public long requestId() {
        return requestId;
    }

    public Message message() {
        return message;
    }

    /** How many bytes this frame takes on the wire (inline). */
    public long wireLength() {
        return FrameCodec.HEADER_BYTES + NameBytes.of(message.action()).length + message.paramsLength();
    }

    public List<FileDescriptor> fileDescriptors() {
        return message.fileDescriptors();
    }

    /** The whole frame with its parameters inline, encoded on first use (two racing writers encode it twice). */
    byte[] inlineBytes() {
        byte[] bytes = encoded;
        if (bytes == null) {
            bytes = FrameCodec.encode(this);
            encoded = bytes;
        }
        return bytes;
    }

    @Override
    public String toString() {
        return kind + (requestId == 0 ? "" : "#" + requestId) + " " + message;
    }
}
