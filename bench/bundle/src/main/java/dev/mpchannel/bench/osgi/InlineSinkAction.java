package dev.mpchannel.bench.osgi;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.ActionContext;
import dev.mpchannel.api.ActionInline;
import dev.mpchannel.api.ActionName;
import dev.mpchannel.api.Message;
import org.osgi.service.component.annotations.Component;

/** {@code bench.sink-inline}: {@link SinkAction} declared quick and non-blocking ({@link Action#INLINE}). */
@Component(service = Action.class)
@ActionName(InlineSinkAction.NAME)
@ActionInline
public final class InlineSinkAction implements Action {
    public static final String NAME = "bench.sink-inline";

    private final SinkCounter counter = new SinkCounter(NAME);

    @Override
    public Message handle(ActionContext context) {
        Message message = context.message();
        return counter.handle(message);
    }
}
