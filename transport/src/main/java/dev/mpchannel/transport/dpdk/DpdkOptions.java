package dev.mpchannel.transport.dpdk;

/**
 * A channel on DPDK's wire ({@code wire=dpdk}): where the DPDK application's sockets are and which datagram layout
 * it speaks.
 */
public record DpdkOptions(DpdkPaths paths, DpdkLayout layout) {
    /** The most descriptors this side takes in one message: the layout's, and what one message can bring (253). */
    public int maxFds(int receivable) {
        return Math.min(layout.maxFds(), receivable);
    }
}
