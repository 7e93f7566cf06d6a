/**
 * Micrometer meters of scratch spaces and their auto-configuration.
 */
@NullMarked
package dev.scratchspace.boot.metrics;

import org.jspecify.annotations.NullMarked;
