package dev.mpchannel.transport.dpdk;

import java.io.IOException;

/** A datagram that is not one DPDK would send. */
public final class DpdkMessageException extends IOException {
    public DpdkMessageException(String message) {
        super(message);
    }
}
