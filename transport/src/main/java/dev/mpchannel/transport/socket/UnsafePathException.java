package dev.mpchannel.transport.socket;

import java.io.IOException;

/**
 * The socket directory, or something in it under this channel's names, is not this process's own to use: a symbolic
 * link, another user's, writable by others, a file where a socket should be. Its message is the one line to log:
 * what was found and what to do; {@link #toString()} is that line alone, so that a caller printing the exception
 * prints no class name and a caller logging it needs no stack trace.
 */
public final class UnsafePathException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnsafePathException(String message) {
        super(message);
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
