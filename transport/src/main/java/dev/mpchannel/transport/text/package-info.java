/**
 * Text that came from a peer, made safe to print: {@link dev.mpchannel.transport.text.Printable} escapes what a
 * terminal or a log reader would act on. Exported for the mpchannel bundles (transport, impls, shell, demo, health);
 * not a public contract (0.x, changes freely).
 */
@Export
@Version("0.1.0")
package dev.mpchannel.transport.text;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
