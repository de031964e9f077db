package dev.mpchannel.demo;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.ActionContext;
import dev.mpchannel.api.ActionName;
import dev.mpchannel.api.Message;
import dev.mpchannel.transport.text.Printable;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Component;

/**
 * {@code demo.hello}: prints a greeting from the other side. Also a service of its own type, so the demo runner can
 * wait until the greetings it asked for have arrived. It takes no descriptor that came with a
 * greeting, so the channel closes them.
 */
@Component(service = {Action.class, HelloAction.class})
@ActionName(HelloAction.NAME)
public final class HelloAction implements Action {
    static final String NAME = "demo.hello";

    private final Semaphore received = new Semaphore(0);

    @Override
    public Message handle(ActionContext context) {
        Console.say("received message '" + Printable.escape(context.message().paramsAsString()) + "' from "
                + context.peer() + " on channel '" + Printable.escape(context.channel().name()) + "'");
        received.release();
        return null;
    }

    /** Waits for {@code count} greetings; false if they did not all come in time. */
    boolean await(int count, Duration timeout) throws InterruptedException {
        return received.tryAcquire(count, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
