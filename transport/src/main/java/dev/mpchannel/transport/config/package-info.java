/**
 * A channel's configuration: its metatype ({@link dev.mpchannel.transport.config.ChannelConfiguration}), the checks
 * of every key with errors an operator can act on, and the {@link dev.mpchannel.transport.config.ChannelSettings}
 * the runtime is built from, including the choice of wire.
 * Exported for the mpchannel impl bundles only; not a public contract (0.x, changes freely).
 */
@Export
@Version("0.1.0")
package dev.mpchannel.transport.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
