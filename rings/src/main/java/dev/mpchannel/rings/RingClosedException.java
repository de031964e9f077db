package dev.mpchannel.rings;

import java.io.IOException;

/** The pair has ended: its reason says why (closed by either side, the peer's connection ended, a corrupt ring). */
public final class RingClosedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** An exception with the pair's name and the reason it ended. */
    public RingClosedException(String message) {
        super(message);
    }
}
