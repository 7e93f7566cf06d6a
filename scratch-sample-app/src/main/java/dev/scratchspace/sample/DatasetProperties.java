package dev.scratchspace.sample;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the datasets come from.
 *
 * @param baseUrl Base URL of the dataset host: the dataset NAME is downloaded from
 * '<base-url>NAME'.
 */
@ConfigurationProperties("sample.datasets")
record DatasetProperties(@DefaultValue("https://raw.githubusercontent.com/mwaskom/seaborn-data/master/") URI baseUrl) {

	DatasetProperties {
		// Without a trailing slash, ".../data" would resolve "iris.csv" to ".../iris.csv".
		if (!baseUrl.getPath().endsWith("/")) {
			baseUrl = URI.create(baseUrl + "/");
		}
	}

}
