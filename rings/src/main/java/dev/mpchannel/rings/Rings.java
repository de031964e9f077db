package dev.mpchannel.rings;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.Peer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens rings to peers of a channel; an OSGi service of the rings bundle. Both processes need the bundle, and the
 * channel's whitelist ({@code allowed.actions}) must admit the action {@value #ACTION} on both:
 * <pre>{@code
 * @Reference Rings rings;
 * @Reference(target = "(&(mp.channel=vswitch)(mp.role=primary))") Channel vswitch;
 *
 * try (RingPair pair = rings.open(vswitch, peer, "packets", RingOptions.duplex(1 << 20), Duration.ofSeconds(5))) {
 *     pair.writer().offer(ByteBuffer.wrap(bytes));
 *     pair.reader().receive(record -> use(record), 16, Idle.PARK);
 * }
 * }</pre>
 */
@ProviderType
public interface Rings {
    /** The action that opens and closes rings on the peer's side; put it on both sides' whitelists. */
    String ACTION = "rings";

    /**
     * Opens a pair of rings to {@code peer}: creates the memory and the doorbells, sends them with a request to the
     * peer, and returns once the peer's {@link RingAcceptor} named {@code name} has taken the pair.
     *
     * @throws ChannelException     if the request cannot be sent
     * @throws IOException          if the memory or the doorbells cannot be made, or the peer refused (no acceptor
     *                              by that name, no rings bundle, the action not on its whitelist, a timeout): the
     *                              message says which; nothing is left open
     * @throws InterruptedException if interrupted while waiting for the peer
     */
    RingPair open(Channel channel, Peer peer, String name, RingOptions options, Duration timeout)
            throws ChannelException, IOException, InterruptedException;

    /** The open pairs of this process, with their counters. */
    List<RingStatus> status();
}
