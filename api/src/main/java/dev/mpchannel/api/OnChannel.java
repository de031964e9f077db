package dev.mpchannel.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Pins a whiteboard service (an {@link Action}) to the named channels, as the service property {@value Channel#NAME}:
 * {@code @OnChannel(channel = "vswitch")}. Without it, every channel whose whitelist admits the action binds it.
 *
 * @since 2.0
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface OnChannel {
    /** Makes the property {@code mp.channel}. */
    String PREFIX_ = "mp.";

    /** The names (prefixes) of the channels that may bind the service. */
    String[] channel();
}
