package dev.mpchannel.bench.osgi;

import dev.mpchannel.api.Message;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a sink does: counts the messages it receives; the request that ends a run (no parameters) is answered with
 * the count so far, which is reset. One peer's messages are handled in order, so that answer comes only once every
 * message sent before it has been handled: the driver's one-way throughput includes the receiver's work.
 */
final class SinkCounter {
    private final String name;
    private final AtomicLong received = new AtomicLong();

    SinkCounter(String name) {
        this.name = name;
    }

    Message handle(Message message) {
        if (message.paramsLength() == 0) {
            return Message.of(name, Long.toString(received.getAndSet(0)));
        }
        received.incrementAndGet();
        return null;
    }
}
