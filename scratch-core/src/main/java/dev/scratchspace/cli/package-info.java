/**
 * The command line of the {@code scratch-core} jar ({@code java -jar scratch-core.jar list},
 * {@code gc}, {@code clear}), for operators and cron jobs. It uses only the public core API.
 */
@NullMarked
package dev.scratchspace.cli;

import org.jspecify.annotations.NullMarked;
