package dev.mpchannel.bench.osgi;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Component;

/**
 * {@code bench.sink}: counts the messages it receives; a request answers with the count so far and resets it.
 * One peer's messages run one at a time in order, so a request sent after N messages is answered only once all N
 * have been handled: the driver's one-way throughput includes the receiver's work.
 */
@Component(property = Action.NAME + "=" + SinkAction.NAME)
public final class SinkAction implements Action {
    public static final String NAME = "bench.sink";

    private final AtomicLong received = new AtomicLong();

    @Override
    public Message handle(Message message, Peer from) {
        if (message.paramsLength() == 0) { // the request that ends a run: no parameters
            return Message.of(NAME, Long.toString(received.getAndSet(0)));
        }
        received.incrementAndGet();
        return null;
    }
}
