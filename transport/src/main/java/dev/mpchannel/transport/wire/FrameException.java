package dev.mpchannel.transport.wire;

import java.io.IOException;

/** The bytes or descriptors a peer sent break the protocol; the connection to that peer cannot go on. */
public class FrameException extends IOException {
    private static final long serialVersionUID = 1L;

    public FrameException(String message) {
        super(message);
    }
}
