/**
 * The mpchannel contract: a primary process and its secondaries exchange {@link dev.mpchannel.api.Message messages}
 * that name an {@link dev.mpchannel.api.Action action} on the other side, through the
 * {@link dev.mpchannel.api.Channel channel} service.
 */
@Export
@Version("1.4.0")
package dev.mpchannel.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
