package dev.mpchannel.bench.osgi;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.ActionContext;
import dev.mpchannel.api.ActionName;
import dev.mpchannel.api.Message;
import org.osgi.service.component.annotations.Component;

/** {@code bench.sink}: counts what it receives (see {@link SinkCounter}); runs on the channel's action pool. */
@Component(service = Action.class)
@ActionName(SinkAction.NAME)
public final class SinkAction implements Action {
    public static final String NAME = "bench.sink";

    private final SinkCounter counter = new SinkCounter(NAME);

    @Override
    public Message handle(ActionContext context) {
        Message message = context.message();
        return counter.handle(message);
    }
}
