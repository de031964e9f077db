/**
 * Which services answer: the {@link dev.mpchannel.transport.channel.action.ActionRegistry registry} of the actions
 * bound under their names, the {@link dev.mpchannel.transport.channel.action.Whitelist whitelist} that decides which
 * may be, and their traffic counters.
 * Exported for the mpchannel impl bundles only; not a public contract (0.x, changes freely).
 */
@Export
@Version("0.1.0")
package dev.mpchannel.transport.channel.action;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
