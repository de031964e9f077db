package dev.mpchannel.transport.wire;

import dev.mpchannel.api.Message;
import java.nio.charset.StandardCharsets;

/**
 * Messages the channel sends for itself, under action names of the reserved prefix {@value #RESERVED_PREFIX} that no
 * action may take (docs/protocol.md). They are ordinary MESSAGE frames, so a peer that does not know one drops it
 * like any message for an unknown action, and the connection stays.
 */
public final class ControlMessages {
    /** The prefix of the names the channel keeps for itself. */
    public static final String RESERVED_PREFIX = "mp.";
    /** "The request with the id in the parameters (decimal ASCII) is cancelled: its answer is not awaited." */
    public static final String CANCEL = "mp.cancel";
    /**
     * "I release the segments you send me (parameters {@value #SEGMENTS_VERSION}, decimal ASCII: the version of that
     * scheme I speak)": from then on the peer may send large parameters in reused segments (docs/protocol.md).
     */
    public static final String SEGMENTS = "mp.segments";
    /** The version of the reused-segment scheme this side speaks. */
    public static final int SEGMENTS_VERSION = 1;
    /** "I no longer read the segment with the token in the parameters (decimal ASCII): write into it again." */
    public static final String RELEASE = "mp.release";

    private ControlMessages() {
    }

    /** Whether the channel keeps this action name for itself. */
    public static boolean isReserved(String action) {
        return action.startsWith(RESERVED_PREFIX);
    }

    /** The message that cancels request {@code requestId} at the peer it was sent to. */
    public static Message cancel(long requestId) {
        return Message.of(CANCEL, Long.toString(requestId));
    }

    /** The request id a cancel message names, or 0 if the message is not a well-formed cancel. */
    public static long cancelledRequest(Message message) {
        return CANCEL.equals(message.action()) ? positiveNumber(message) : 0;
    }

    /** The message that says this side releases the segments it is sent. */
    public static Message segments() {
        return Message.of(SEGMENTS, Integer.toString(SEGMENTS_VERSION));
    }

    /** The segment version a {@value #SEGMENTS} message announces, or 0 if it is not a well-formed one. */
    public static long segmentsVersion(Message message) {
        return SEGMENTS.equals(message.action()) ? positiveNumber(message) : 0;
    }

    /** The message that releases the segment lent with {@code token}. */
    public static Message release(long token) {
        return Message.of(RELEASE, Long.toString(token));
    }

    /** The token a release message names, or 0 if the message is not a well-formed release. */
    public static long releasedToken(Message message) {
        return RELEASE.equals(message.action()) ? positiveNumber(message) : 0;
    }

    /** The parameters as a positive decimal number that fits a long, or 0. */
    private static long positiveNumber(Message message) {
        if (message.paramsLength() == 0 || message.paramsLength() > 20) {
            return 0;
        }
        try {
            long number = Long.parseLong(new String(message.params(), StandardCharsets.US_ASCII));
            return number > 0 ? number : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
