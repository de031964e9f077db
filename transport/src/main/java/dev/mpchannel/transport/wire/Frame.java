package dev.mpchannel.transport.wire;

import dev.mpchannel.api.Message;
import java.io.FileDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One unit on the wire: a kind, a request id (0 for a plain message), and the message it carries.
 */
public record Frame(FrameKind kind, long requestId, Message message) {

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

    /** How many bytes this frame takes on the wire. */
    public long wireLength() {
        return FrameCodec.HEADER_BYTES + message.action().getBytes(StandardCharsets.UTF_8).length + message.paramsLength();
    }

    public List<FileDescriptor> fileDescriptors() {
        return message.fileDescriptors();
    }

    @Override
    public String toString() {
        return kind + (requestId == 0 ? "" : "#" + requestId) + " " + message;
    }
}
