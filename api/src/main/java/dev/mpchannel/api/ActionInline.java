package dev.mpchannel.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Declares an action quick and non-blocking, as the service property {@value Action#INLINE}{@code =true}: the
 * channel may run it on the thread that read its message. Only for actions that return at once and never block,
 * wait, send or request.
 *
 * @since 2.0
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ActionInline {
    /** Makes the property {@code mp.action.inline}. */
    String PREFIX_ = "mp.";
}
