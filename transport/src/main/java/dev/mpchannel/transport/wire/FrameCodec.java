package dev.mpchannel.transport.wire;

import dev.mpchannel.api.Message;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The wire format, in one place (docs/protocol.md describes the same bytes). A frame is a 20-byte header in
 * network byte order, then the action name, then the parameters:
 * <pre>
 *  0  u16 magic 0x4D50 ("MP")      2  u8 version (1)        3  u8 kind (FrameKind)
 *  4  u8  name length (1..64)      5  u8 fd count           6  u16 flags (bit 0: parameters in shared memory,
 *                                                                    bit 1: in a reused segment)
 *  8  u64 request id (0 for a message, non-zero otherwise)
 * 16  u32 parameters length
 * 20  name (UTF-8), parameters (absent with flag bit 0: the first descriptor is then a file holding them; with
 *     bit 1 as well, a u64 segment token follows the name, which the receiver sends back to release the segment)
 * </pre>
 * The file descriptors travel as SCM_RIGHTS ancillary data with the frame's bytes. Every field is checked before
 * anything is allocated, so a peer cannot make the receiver reserve more than the configured limits: inline
 * parameters are at most {@code inline.max.bytes}, only shared ones may reach {@code max.message.bytes}.
 */
public final class FrameCodec {
    public static final int HEADER_BYTES = 20;
    public static final int MAGIC = 0x4D50;
    public static final int VERSION = 1;
    /** Flag bit 0: the parameters are in the file behind the frame's first descriptor, not in the body. */
    public static final int FLAG_SHARED_PARAMS = 1;
    /**
     * Flag bit 1, only with bit 0: the file is a segment the sender reuses; the body carries its token after the name
     * (docs/protocol.md, "Reused segments"). Sent only to a peer that announced it releases segments.
     */
    public static final int FLAG_SEGMENT = 2;
    /** The segment token's bytes in the body of a frame with {@link #FLAG_SEGMENT}. */
    public static final int TOKEN_BYTES = 8;

    private FrameCodec() {
    }

    /** The whole frame as one array, so that it goes out in one write together with its descriptors. */
    public static byte[] encode(Frame frame) {
        return encode(frame, false, 0);
    }

    /**
     * The frame with its parameters left out of the body and flagged as shared: the writer sends the file holding
     * them as the first descriptor, before the message's own.
     */
    public static byte[] encodeShared(Frame frame) {
        return encode(frame, true, 0);
    }

    /**
     * The frame with its parameters in a reused segment: flagged as shared and as a segment, {@code token} after the
     * name; the writer sends the segment's descriptor first, as for {@link #encodeShared}.
     */
    public static byte[] encodeSegment(Frame frame, long token) {
        return encode(frame, true, token);
    }

    private static byte[] encode(Frame frame, boolean shared, long token) {
        Message message = frame.message();
        byte[] name = NameBytes.of(message.action());
        int paramsLength = message.paramsLength();
        boolean segment = token != 0;
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + name.length + (shared ? 0 : paramsLength)
                + (segment ? TOKEN_BYTES : 0));
        out.putShort((short) MAGIC)
                .put((byte) VERSION)
                .put((byte) frame.kind().code())
                .put((byte) name.length)
                .put((byte) (message.fileDescriptors().size() + (shared ? 1 : 0)))
                .putShort((short) ((shared ? FLAG_SHARED_PARAMS : 0) | (segment ? FLAG_SEGMENT : 0)))
                .putLong(frame.requestId())
                .putInt(paramsLength)
                .put(name);
        if (segment) {
            out.putLong(token);
        } else if (!shared) {
            out.put(message.paramsBuffer());
        }
        return out.array();
    }

    /**
     * Decodes and checks the {@value #HEADER_BYTES}-byte header at {@code offset} of {@code bytes} (a reader's buffer:
     * no buffer object per frame).
     *
     * @throws FrameException naming the field that is wrong and its value
     */
    public static FrameHeader decodeHeader(byte[] bytes, int offset, FrameLimits limits) throws FrameException {
        int magic = u16(bytes, offset);
        if (magic != MAGIC) {
            throw new FrameException(String.format("bad magic 0x%04X, expected 0x%04X: not an mpchannel peer", magic, MAGIC));
        }
        int version = Byte.toUnsignedInt(bytes[offset + 2]);
        if (version != VERSION) {
            throw new FrameException("unsupported protocol version " + version + ", this side speaks " + VERSION);
        }
        int kindCode = Byte.toUnsignedInt(bytes[offset + 3]);
        FrameKind kind = FrameKind.ofCode(kindCode);
        if (kind == null) {
            throw new FrameException("unknown frame kind " + kindCode);
        }
        int nameLength = Byte.toUnsignedInt(bytes[offset + 4]);
        if (nameLength < 1 || nameLength > Message.MAX_NAME_BYTES) {
            throw new FrameException("action name length " + nameLength + " is outside 1.." + Message.MAX_NAME_BYTES);
        }
        int fdCount = Byte.toUnsignedInt(bytes[offset + 5]);
        int flags = u16(bytes, offset + 6);
        int known = FLAG_SHARED_PARAMS | FLAG_SEGMENT;
        if ((flags & ~known) != 0) {
            throw new FrameException(String.format("unknown flags 0x%04X", flags & ~known));
        }
        boolean shared = (flags & FLAG_SHARED_PARAMS) != 0;
        boolean segment = (flags & FLAG_SEGMENT) != 0;
        if (segment && !shared) {
            throw new FrameException("a segment token (flag bit 1) without parameters in shared memory (flag bit 0)");
        }
        if (shared && fdCount == 0) {
            throw new FrameException("parameters in shared memory, but no file descriptor declared to hold them");
        }
        int userFds = shared ? fdCount - 1 : fdCount;
        if (userFds > limits.maxFileDescriptors()) {
            throw new FrameException(userFds + " file descriptors declared, the limit is " + limits.maxFileDescriptors());
        }
        long requestId = (long) u32(bytes, offset + 8) << 32 | u32(bytes, offset + 12);
        if ((kind == FrameKind.MESSAGE) != (requestId == 0)) {
            throw new FrameException(kind + " with request id " + requestId
                    + (kind == FrameKind.MESSAGE ? ", a message carries 0" : ", must not be 0"));
        }
        long paramsLength = u32(bytes, offset + 16);
        if (paramsLength > limits.maxParamsBytes()) {
            throw new FrameException("parameters of " + paramsLength + " bytes, the limit is " + limits.maxParamsBytes());
        }
        if (!shared && paramsLength > limits.inlineMaxBytes()) {
            // only a file in shared memory may hold more: the socket stream never brings more than this per frame
            throw new FrameException("inline parameters of " + paramsLength + " bytes, the inline limit is "
                    + limits.inlineMaxBytes() + " (inline.max.bytes; longer parameters travel in shared memory)");
        }
        return new FrameHeader(kind, nameLength, fdCount, requestId, (int) paramsLength, shared, segment);
    }

    /** The unsigned 16 bits at {@code at}, in network byte order. */
    private static int u16(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
    }

    /** The unsigned 32 bits at {@code at}, in network byte order. */
    private static long u32(byte[] bytes, int at) {
        return (long) u16(bytes, at) << 16 | u16(bytes, at + 2);
    }

    /**
     * Decodes an action name, refusing what is not well-formed UTF-8 (so that two peers never disagree on a name).
     */
    public static String decodeName(ByteBuffer name) throws FrameException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(name).toString();
        } catch (CharacterCodingException e) {
            throw new FrameException("action name is not well-formed UTF-8");
        }
    }
}
