/**
 * The {@code scratch} actuator endpoint, the filter that bounds its request bodies and reads
 * its collect requests strictly, and their auto-configuration.
 */
@NullMarked
package dev.scratchspace.boot.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
