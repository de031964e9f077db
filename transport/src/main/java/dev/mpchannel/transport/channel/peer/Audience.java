package dev.mpchannel.transport.channel.peer;

import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.Role;
import java.util.List;

/**
 * Whom a side's sends reach, which is what differs between the two sides once their peers are connected; all else is
 * the same code. A primary's audience is every secondary, any number of them, and it skips one that is gone; a
 * secondary's is its one primary, so a failed write fails the call and no primary at all means
 * {@code NOT_CONNECTED}.
 */
public enum Audience {
    /** A primary's: every connected secondary. */
    EVERY_SECONDARY,
    /** A secondary's: its primary. */
    THE_PRIMARY;

    /** The audience of a side of this role. */
    public static Audience of(Role role) {
        return role == Role.PRIMARY ? EVERY_SECONDARY : THE_PRIMARY;
    }

    /** Whether a write that fails to one of several targets fails the whole call. */
    public boolean failsWhenOneWriteFails() {
        return this == THE_PRIMARY;
    }

    /** Throws if there is nobody to send to and that is an error on this side. */
    public void checkReachable(List<?> targets) throws ChannelException {
        if (this == THE_PRIMARY && targets.isEmpty()) {
            throw new ChannelException(ChannelException.Reason.NOT_CONNECTED,
                    "not connected to a primary (it is not running yet, or went away; reconnecting)");
        }
    }

    public ChannelStatus.State state(boolean closed, int peers) {
        if (closed) {
            return ChannelStatus.State.CLOSED;
        }
        if (this == EVERY_SECONDARY) {
            return ChannelStatus.State.LISTENING;
        }
        return peers == 0 ? ChannelStatus.State.CONNECTING : ChannelStatus.State.CONNECTED;
    }
}
