package dev.mpchannel.transport.wire;

/** What a frame is; the byte value is its code on the wire (docs/protocol.md). */
public enum FrameKind {
    /** A one-way message for the named action. */
    MESSAGE(1),
    /** A request for the named action; the peer answers with REPLY, IGNORED or FAILED under the same request id. */
    REQUEST(2),
    /** An action's answer to a request. */
    REPLY(3),
    /** The peer has no action by that name, or its whitelist refuses it; the parameters carry the reason. */
    IGNORED(4),
    /** The peer's action failed; the parameters carry the reason. */
    FAILED(5);

    private static final FrameKind[] KINDS = values(); // values() copies the array on every call

    private final int code;

    FrameKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Whether this kind answers a request (REPLY, IGNORED, FAILED), rather than asking something. */
    public boolean isAnswer() {
        return this == REPLY || this == IGNORED || this == FAILED;
    }

    /** The kind with this code, or {@code null} if there is none. */
    public static FrameKind ofCode(int code) {
        for (FrameKind kind : KINDS) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }
}
