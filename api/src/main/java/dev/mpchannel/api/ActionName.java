package dev.mpchannel.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The name of the action a component provides, as the service property {@value Action#NAME}:
 * {@code @ActionName("vswitch.attach")} on an {@code @Component(service = Action.class)}.
 *
 * @since 2.0
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ActionName {
    /** Makes the property {@code mp.action.name}. */
    String PREFIX_ = "mp.";

    /** The action name, 1 to 64 UTF-8 bytes. */
    String value();
}
