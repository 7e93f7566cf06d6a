/**
 * JMH benchmarks of the performance bar (SPEC section 11): every figure is measured beside
 * its baseline in the same run, and {@link dev.scratchspace.bench.BenchmarkRunner} prints
 * their ratios against the targets.
 *
 * <p>JMH subclasses state and benchmark classes, so those are public and not final.
 */
@NullMarked
package dev.scratchspace.bench;

import org.jspecify.annotations.NullMarked;
