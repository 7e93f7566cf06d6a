package dev.scratchspace.boot.autoconfigure;

import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.scratchspace.boot.health.ScratchHealthProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.json.JsonParserFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the configuration metadata generated from {@link ScratchProperties} and
 * {@link ScratchHealthProperties} and completed by
 * {@code additional-spring-configuration-metadata.json}, as packaged in the jar.
 */
class ScratchConfigurationMetadataTests {

	@Test
	void everyPropertyIsDescribed() throws Exception {
		Map<String, Map<String, Object>> properties = properties();
		assertThat(properties).containsOnlyKeys("scratch.enabled", "scratch.depot", "scratch.owner",
				"scratch.track-access", "scratch.access-log-interval", "scratch.lock-timeout", "scratch.gc.enabled", "scratch.gc.interval",
				"scratch.gc.initial-delay", "scratch.gc.collect-delay", "scratch.gc.max-unused-age",
				"scratch.gc.max-total-size", "scratch.gc.dry-run", "scratch.inventory.refresh-interval",
				"scratch.artifacts.toml", "scratch.health.min-free-space",
				"management.health.scratch.enabled", "management.health.scratch.min-free-space");
		properties.forEach((name, property) -> assertThat((String) property.get("description")).as(name)
			.isNotBlank()
			.endsWith("."));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', nullValues = "none", textBlock = """
			scratch.enabled                          | java.lang.Boolean                      | true
			scratch.depot                            | java.nio.file.Path                     | none
			scratch.owner                            | java.lang.String                       | none
			scratch.track-access                     | java.lang.Boolean                      | true
			scratch.access-log-interval              | java.time.Duration                     | 1d
			scratch.lock-timeout                     | java.time.Duration                     | 10s
			scratch.gc.enabled                       | java.lang.Boolean                      | true
			scratch.gc.interval                      | java.time.Duration                     | 1d
			scratch.gc.initial-delay                 | java.time.Duration                     | 10m
			scratch.gc.collect-delay                 | java.time.Duration                     | 7d
			scratch.gc.max-unused-age                | java.time.Duration                     | none
			scratch.gc.max-total-size                | org.springframework.util.unit.DataSize | none
			scratch.gc.dry-run                       | java.lang.Boolean                      | false
			scratch.inventory.refresh-interval       | java.time.Duration                     | 5m
			scratch.artifacts.toml                   | java.lang.String                       | classpath:Artifacts.toml
			scratch.health.min-free-space            | org.springframework.util.unit.DataSize | 100MB
			management.health.scratch.enabled        | java.lang.Boolean                      | true
			management.health.scratch.min-free-space | org.springframework.util.unit.DataSize | 100MB
			""")
	void propertyHasItsTypeAndDefault(String name, String type, String defaultValue) throws Exception {
		Map<String, Object> property = properties().get(name);
		assertThat(property).containsEntry("type", type);
		if (defaultValue != null) {
			assertThat(String.valueOf(property.get("defaultValue"))).isEqualTo(defaultValue);
		}
		else {
			assertThat(property).doesNotContainKey("defaultValue");
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void oldHealthPropertyIsDeprecatedInFavourOfTheManagementOne() throws Exception {
		Map<String, Object> property = properties().get("scratch.health.min-free-space");
		assertThat(property).containsEntry("deprecated", true);
		assertThat((Map<String, Object>) property.get("deprecation")).containsEntry("level", "warning")
			.containsEntry("replacement", "management.health.scratch.min-free-space");
		assertThat(property.get("description")).isEqualTo(properties().get("management.health.scratch.min-free-space")
			.get("description"));
	}

	@Test
	void onlyTheOldHealthPropertyIsDeprecated() throws Exception {
		assertThat(properties().values()
			.stream()
			.filter((property) -> property.containsKey("deprecation") || property.containsKey("deprecated"))
			.map((property) -> property.get("name"))).containsExactly("scratch.health.min-free-space");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			scratch.gc.collect-delay                 | days      | 7d
			scratch.gc.max-unused-age                | days      | 30d
			scratch.gc.max-total-size                | megabytes | 10GB
			management.health.scratch.min-free-space | megabytes | 100MB
			scratch.health.min-free-space            | megabytes | 100MB
			""")
	@SuppressWarnings("unchecked")
	void unitPropertiesSayWhatABareNumberMeansAndHintAtValues(String name, String unit, String hint)
			throws Exception {
		assertThat((String) properties().get(name).get("description")).endsWith(" A bare number means " + unit + ".");
		Map<String, Object> hints = hints().get(name);
		assertThat(hints).as(name).isNotNull();
		assertThat(((List<Map<String, Object>>) hints.get("values")).stream().map((value) -> value.get("value")))
			.contains(hint);
	}

	@Test
	void everyHintIsForAPropertyAndDescribesItsValues() throws Exception {
		Map<String, Map<String, Object>> properties = properties();
		hints().forEach((name, hint) -> {
			assertThat(properties).as(name).containsKey(name);
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> values = (List<Map<String, Object>>) hint.get("values");
			assertThat(values).as(name).isNotEmpty();
			values.forEach((value) -> assertThat((String) value.get("description")).as(name).isNotBlank().endsWith("."));
		});
	}

	@Test
	void booleanDescriptionsStartWithWhether() throws Exception {
		properties().values()
			.stream()
			.filter((property) -> "java.lang.Boolean".equals(property.get("type")))
			.forEach((property) -> assertThat((String) property.get("description")).startsWith("Whether "));
	}

	/** Every Spring Boot jar has metadata: this module's is the one beside its classes. */
	private static URL ownMetadata() throws Exception {
		String location = ScratchProperties.class.getProtectionDomain().getCodeSource().getLocation().toString();
		return Collections.list(ScratchProperties.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))
			.stream()
			.filter((url) -> url.toString().contains(location))
			.findFirst()
			.orElseThrow();
	}

	private static Map<String, Map<String, Object>> properties() throws Exception {
		return metadata("properties");
	}

	private static Map<String, Map<String, Object>> hints() throws Exception {
		return metadata("hints");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Map<String, Object>> metadata(String group) throws Exception {
		String json;
		try (InputStream in = ownMetadata().openStream()) {
			json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		List<Object> properties = (List<Object>) JsonParserFactory.getJsonParser().parseMap(json).get(group);
		return properties.stream()
			.map((property) -> (Map<String, Object>) property)
			.filter((property) -> ((String) property.get("name")).startsWith("scratch.")
					|| ((String) property.get("name")).startsWith("management.health.scratch."))
			.collect(Collectors.toMap((property) -> (String) property.get("name"), (property) -> property));
	}

}
