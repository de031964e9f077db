package dev.mpchannel.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Declares that an action reads its message's parameters only while it runs, as the service property
 * {@value Action#SCOPED_PARAMS}{@code =true}: the shared memory that holds large parameters is then reused as soon as
 * the action ended and its reply was written (see {@link Action#SCOPED_PARAMS}). An action that keeps parameters
 * copies them.
 *
 * @since 2.0
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ActionScopedParams {
    /** Makes the property {@code mp.action.scoped.params}. */
    String PREFIX_ = "mp.";
}
