/**
 * Health of the depot: the {@code scratch} health indicator, its
 * {@code management.health.scratch.*} properties and its auto-configuration.
 */
@NullMarked
package dev.scratchspace.boot.health;

import org.jspecify.annotations.NullMarked;
