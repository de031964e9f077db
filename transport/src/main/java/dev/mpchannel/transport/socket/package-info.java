/**
 * Unix domain sockets: the paths of a channel, the primary's listener and lock, a connection to one peer.
 * Exported for the mpchannel impl bundles only; not a public contract (0.x, changes freely).
 */
@Export
@Version("0.2.0")
package dev.mpchannel.transport.socket;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
