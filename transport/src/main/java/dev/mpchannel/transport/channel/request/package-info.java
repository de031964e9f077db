/**
 * What this side's requests wait for: the {@link dev.mpchannel.transport.channel.request.Requester} that sends them
 * and the {@link dev.mpchannel.transport.channel.request.PendingRequests pending requests} their replies complete.
 */
package dev.mpchannel.transport.channel.request;
