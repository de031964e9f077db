package dev.mpchannel.bench.osgi;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.ActionContext;
import dev.mpchannel.api.ActionName;
import dev.mpchannel.api.Message;
import org.osgi.service.component.annotations.Component;

/**
 * {@code bench.echo-unscoped}: {@link EchoAction} without {@code ActionScopedParams}, so that large parameters in
 * shared memory are released only when the garbage collector finds them unreachable: the channel's default, measured
 * with {@code mpbench.large.scoped=false}.
 */
@Component(service = Action.class)
@ActionName(UnscopedEchoAction.NAME)
public final class UnscopedEchoAction implements Action {
    public static final String NAME = "bench.echo-unscoped";

    @Override
    public Message handle(ActionContext context) {
        return context.message();
    }
}
