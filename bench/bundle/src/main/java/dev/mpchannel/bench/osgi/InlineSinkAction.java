package dev.mpchannel.bench.osgi;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import org.osgi.service.component.annotations.Component;

/** {@code bench.sink-inline}: {@link SinkAction} declared quick and non-blocking ({@link Action#INLINE}). */
@Component(property = {Action.NAME + "=" + InlineSinkAction.NAME, Action.INLINE + ":Boolean=true"})
public final class InlineSinkAction implements Action {
    public static final String NAME = "bench.sink-inline";

    private final SinkCounter counter = new SinkCounter(NAME);

    @Override
    public Message handle(Message message, Peer from) {
        return counter.handle(message);
    }
}
