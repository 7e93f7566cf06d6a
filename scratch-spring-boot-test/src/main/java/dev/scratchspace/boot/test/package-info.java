/**
 * Test support for applications that use scratch spaces:
 * {@link dev.scratchspace.boot.test.TemporaryScratchDepot @TemporaryScratchDepot} gives a
 * test's application context a temporary depot of its own.
 */
@NullMarked
package dev.scratchspace.boot.test;

import org.jspecify.annotations.NullMarked;
