/**
 * What both sides share above the wire: the action whitelist and registry, dispatch, request bookkeeping.
 * Exported for the mpchannel impl bundles only; not a public contract (0.x, changes freely).
 */
@Export
@Version("0.1.0")
package dev.mpchannel.transport.channel;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
