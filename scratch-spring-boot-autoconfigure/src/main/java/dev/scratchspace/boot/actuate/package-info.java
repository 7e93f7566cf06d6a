/**
 * Support shared by the {@code scratch} endpoint, health and metrics, and by scheduled
 * garbage collection: the cached inventory of the depot and the garbage collector that logs
 * and reports every run. Neither needs actuator, so each concern can be left out alone.
 */
@NullMarked
package dev.scratchspace.boot.actuate;

import org.jspecify.annotations.NullMarked;
