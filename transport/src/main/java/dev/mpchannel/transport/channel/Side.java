package dev.mpchannel.transport.channel;

import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.Role;
import java.util.List;

/**
 * What differs between the two sides of a channel once their peers are connected; all else is the same code. A
 * primary has any number of secondaries and skips one that is gone; a secondary has one peer, its primary, so a
 * failed write fails the call and no primary at all means {@code NOT_CONNECTED}.
 */
enum Side {
    PRIMARY(Role.PRIMARY),
    SECONDARY(Role.SECONDARY);

    private final Role role;

    Side(Role role) {
        this.role = role;
    }

    static Side of(Role role) {
        return role == Role.PRIMARY ? PRIMARY : SECONDARY;
    }

    Role role() {
        return role;
    }

    /** Whether a write that fails to one of several targets fails the whole call. */
    boolean failsWhenOneWriteFails() {
        return this == SECONDARY;
    }

    /** Throws if there is nobody to send to and that is an error on this side. */
    void checkReachable(List<?> targets) throws ChannelException {
        if (this == SECONDARY && targets.isEmpty()) {
            throw new ChannelException(ChannelException.Reason.NOT_CONNECTED,
                    "not connected to a primary (it is not running yet, or went away; reconnecting)");
        }
    }

    ChannelStatus.State state(boolean closed, int peers) {
        if (closed) {
            return ChannelStatus.State.CLOSED;
        }
        if (this == PRIMARY) {
            return ChannelStatus.State.LISTENING;
        }
        return peers == 0 ? ChannelStatus.State.CONNECTING : ChannelStatus.State.CONNECTED;
    }
}
