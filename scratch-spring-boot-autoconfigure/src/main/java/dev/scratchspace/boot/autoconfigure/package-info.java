/**
 * Auto-configuration of scratch spaces: the application's
 * {@link dev.scratchspace.ScratchSpaceManager}, the {@code scratch.*} properties, the
 * {@code $<scratch:…>} placeholders and scheduled garbage collection.
 */
@NullMarked
package dev.scratchspace.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
