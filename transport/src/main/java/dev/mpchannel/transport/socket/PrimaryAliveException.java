package dev.mpchannel.transport.socket;

import java.io.IOException;

/** Another primary is alive for the same channel; this process must not take its place. */
public class PrimaryAliveException extends IOException {
    private static final long serialVersionUID = 1L;

    public PrimaryAliveException(String message) {
        super(message);
    }
}
