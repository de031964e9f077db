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
        if (!CANCEL.equals(message.action()) || message.paramsLength() == 0 || message.paramsLength() > 20) {
            return 0;
        }
        try {
            long id = Long.parseLong(new String(message.params(), StandardCharsets.US_ASCII));
            return id > 0 ? id : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
