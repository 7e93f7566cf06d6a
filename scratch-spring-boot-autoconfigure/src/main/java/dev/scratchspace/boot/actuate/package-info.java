/**
 * Operations support for scratch spaces: the {@code scratch} actuator endpoint, the health
 * indicator, Micrometer meters, and the cached inventory and garbage collector they share.
 */
@NullMarked
package dev.scratchspace.boot.actuate;

import org.jspecify.annotations.NullMarked;
