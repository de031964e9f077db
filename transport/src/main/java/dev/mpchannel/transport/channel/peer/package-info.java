/**
 * One peer's life: its {@link dev.mpchannel.transport.channel.peer.PeerSession session}, the reading and dispatch
 * state machine ({@link dev.mpchannel.transport.channel.peer.PeerState}), the
 * {@link dev.mpchannel.transport.channel.peer.Dispatcher dispatcher} to the actions, the
 * {@link dev.mpchannel.transport.channel.peer.ReaderWatch watch} that hands a blocked reading thread's work on, and
 * the {@link dev.mpchannel.transport.channel.peer.PeerOutbox outbox} that writes to the peer.
 * Exported for the mpchannel impl bundles only; not a public contract (0.x, changes freely).
 */
@Export
@Version("0.1.0")
package dev.mpchannel.transport.channel.peer;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
