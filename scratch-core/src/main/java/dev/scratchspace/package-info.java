/**
 * Scratch spaces: managed, mutable, per-owner cache directories with usage tracking and
 * garbage collection. This package is the Spring-free core; it depends on the JDK, tomlj
 * and the SLF4J API only.
 */
@NullMarked
package dev.scratchspace;

import org.jspecify.annotations.NullMarked;
