/**
 * Failure analysis for the start-up failures of scratch spaces: an unusable depot, a
 * malformed placeholder or invalid key, and a bad {@code scratch.*} value. Each names the
 * setting to change (the property, {@code SCRATCH_DEPOT}, the {@code @Value}) and what to do.
 */
@NullMarked
package dev.scratchspace.boot.diagnostics;

import org.jspecify.annotations.NullMarked;
