package dev.mpchannel.transport.dpdk;

import dev.mpchannel.transport.socket.PrimaryLink;
import dev.mpchannel.transport.socket.Wire;
import java.nio.file.Path;

/**
 * DPDK's wire ({@code wire=dpdk}): where the DPDK application's sockets are and which datagram layout it speaks. A
 * message must fit DPDK's fixed datagram; there is no shared memory.
 */
public record DpdkWire(DpdkPaths paths, DpdkLayout layout) implements Wire {
    /** The most descriptors this side takes in one message: the layout's, and what one message can bring (253). */
    public int maxFds(int receivable) {
        return Math.min(layout.maxFds(), receivable);
    }

    @Override
    public Path primarySocket() {
        return paths.primarySocket();
    }

    @Override
    public PrimaryLink linkToPrimary() {
        return new DpdkLink(this);
    }

    @Override
    public String refusal(String action, int paramsLength, int fds) {
        return DpdkMessage.check(action, paramsLength, fds, layout);
    }

    @Override
    public boolean carriesSharedMemory() {
        return false;
    }

    /** DPDK's messages have no way to withdraw a request: a cancelled one is only forgotten on this side. */
    @Override
    public boolean carriesCancel() {
        return false;
    }
}
