package dev.scratchspace.sample;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the dataset index comes from.
 *
 * @param directory Directory of a read-only index to serve instead of building one in the
 * version-specific space, typically '$<artifact:index>': the artifact that 'POST
 * /datasets/index/export' bound in the Artifacts.toml named by 'scratch.artifacts.toml',
 * installed on first use.
 */
@ConfigurationProperties("sample.index")
record IndexProperties(@Nullable Path directory) {

}
