package dev.mpchannel.rings;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Takes the pairs that peers open under a name: publish an implementation as an OSGi service with the name in the
 * service property {@value #NAME} (the whiteboard pattern):
 * <pre>{@code
 * @Component(service = RingAcceptor.class, property = RingAcceptor.NAME + "=packets")
 * public final class Packets implements RingAcceptor {
 *     public void accepted(RingPair pair) {
 *         new Thread(() -> drain(pair), "packets-" + pair.peer().pid()).start();
 *     }
 * }
 * }</pre>
 * A pair opened under a name no acceptor has is refused, and the opener's {@link Rings#open} fails saying so.
 */
@ConsumerType
@FunctionalInterface
public interface RingAcceptor {
    /** The service property with the name of the pairs this acceptor takes. */
    String NAME = "mp.ring.name";

    /**
     * Takes a pair a peer opened: from now on the acceptor owns it and closes it. Called on a thread of the channel
     * that runs actions: return soon (hand the pair to a thread of your own). An exception refuses the pair: it is
     * closed and the opener's {@link Rings#open} fails with the exception's text.
     */
    void accepted(RingPair pair) throws Exception;
}
