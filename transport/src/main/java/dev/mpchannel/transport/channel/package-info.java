/**
 * The channel runtime both sides share: a {@link dev.mpchannel.transport.channel.ChannelRuntime} over
 * {@link dev.mpchannel.transport.channel.PeerSession peer sessions}, the
 * {@link dev.mpchannel.transport.channel.Dispatcher dispatcher} to the actions, the
 * {@link dev.mpchannel.transport.channel.Requester requester} of this side's requests, the primary's
 * {@link dev.mpchannel.transport.channel.Acceptor accept loop} and the secondary's
 * {@link dev.mpchannel.transport.channel.Connector connect loop}, and a channel's configuration.
 * Exported for the mpchannel impl bundles only; not a public contract (0.x, changes freely).
 */
@Export
@Version("0.2.0")
package dev.mpchannel.transport.channel;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
