/**
 * The channel runtime both sides share, composed of the sub-packages: a
 * {@link dev.mpchannel.transport.channel.ChannelRuntime} over peer sessions ({@code channel.peer}), the requests this
 * side waits for ({@code channel.request}) and the actions that answer ({@code channel.action}); the primary's
 * {@link dev.mpchannel.transport.channel.Acceptor accept loop} and the secondary's
 * {@link dev.mpchannel.transport.channel.Connector connect loop}. Dependencies run one way: this package, then
 * request, then peer, then action. It does not know which wire it runs on: the wire's specifics stay behind
 * {@link dev.mpchannel.transport.socket.Wire}, {@link dev.mpchannel.transport.socket.PrimaryLink} and
 * {@link dev.mpchannel.transport.socket.Connection}.
 * Exported for the mpchannel impl bundles only; not a public contract (0.x, changes freely).
 */
@Export
@Version("0.3.0")
package dev.mpchannel.transport.channel;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
