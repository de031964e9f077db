/**
 * The mpchannel contract: a primary process and its secondaries exchange {@link dev.mpchannel.api.Message messages}
 * that name an {@link dev.mpchannel.api.Action action} on the other side, through the
 * {@link dev.mpchannel.api.Channel channel} service. An action is handed an
 * {@link dev.mpchannel.api.ActionContext context} that names the channel and the peer; providers declare their
 * service properties with the component property types {@link dev.mpchannel.api.ActionName},
 * {@link dev.mpchannel.api.ActionInline}, {@link dev.mpchannel.api.ActionScopedParams} and
 * {@link dev.mpchannel.api.OnChannel}.
 */
@Export
@Version("2.0.0")
package dev.mpchannel.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
