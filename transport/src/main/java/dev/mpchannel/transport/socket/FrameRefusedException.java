package dev.mpchannel.transport.socket;

import java.io.IOException;

/**
 * A frame the connection will not send because it breaks the rules of its wire (DPDK's: one request per action name
 * in flight, its limits); nothing was written and the connection stays as it was.
 */
public final class FrameRefusedException extends IOException {
    public FrameRefusedException(String message) {
        super(message);
    }
}
