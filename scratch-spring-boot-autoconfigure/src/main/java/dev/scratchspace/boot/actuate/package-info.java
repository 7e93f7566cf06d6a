/**
 * Support shared by the {@code scratch} endpoint, health and metrics, and by scheduled
 * garbage collection: the inventory of the depot, whose sizes are measured in the background,
 * and the garbage collector that logs and reports every run. Neither needs actuator, so each
 * concern can be left out alone.
 */
@NullMarked
package dev.scratchspace.boot.actuate;

import org.jspecify.annotations.NullMarked;
