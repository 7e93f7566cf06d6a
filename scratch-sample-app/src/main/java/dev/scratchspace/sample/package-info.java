/**
 * The sample application: a dataset service that downloads into a scratch space on first use,
 * serves from it afterwards, and keeps a version-specific index that it rebuilds whenever its
 * space is found empty.
 */
@NullMarked
package dev.scratchspace.sample;

import org.jspecify.annotations.NullMarked;
