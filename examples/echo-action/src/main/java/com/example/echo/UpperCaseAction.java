package com.example.echo;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.ActionContext;
import dev.mpchannel.api.ActionName;
import dev.mpchannel.api.Message;
import java.util.Locale;
import org.osgi.service.component.annotations.Component;

/** A user's action: answers {@code echo.upper} with its parameters in upper case. */
@Component(service = Action.class)
@ActionName(UpperCaseAction.NAME)
public final class UpperCaseAction implements Action {
    /** The action's name: a channel binds it when its whitelist ({@code allowed.actions}) admits it. */
    public static final String NAME = "echo.upper";

    @Override
    public Message handle(ActionContext context) {
        return Message.of(NAME, context.message().paramsAsString().toUpperCase(Locale.ROOT));
    }
}
