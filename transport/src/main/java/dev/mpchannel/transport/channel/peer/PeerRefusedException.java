package dev.mpchannel.transport.channel.peer;

/** A peer's credentials are not allowed by the {@link PeerPolicy}; it was disconnected before anything was read. */
public class PeerRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public PeerRefusedException(String message) {
        super(message);
    }
}
