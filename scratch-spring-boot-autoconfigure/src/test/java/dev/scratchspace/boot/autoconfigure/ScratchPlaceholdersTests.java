package dev.scratchspace.boot.autoconfigure;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpace;
import dev.scratchspace.ScratchSpaceManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@code $<scratch:…>} placeholders in {@code @Value} and in property values.
 */
class ScratchPlaceholdersTests {

	private static final String LIBRARY_UUID = ScratchOwner.of("com.example", "lib").uuid().toString();

	private static final String OTHER_UUID = "0f4c3a39-9a4b-4e0b-8c47-5e3d2f1a6b7c";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ScratchAutoConfiguration.class))
		.withInitializer(ScratchPlaceholdersTests::postProcessEnvironment);

	@TempDir
	Path temp;

	private ApplicationContextRunner runner() {
		return this.contextRunner.withPropertyValues("scratch.depot=" + depot(), "scratch.owner=com.example:app");
	}

	private Path depot() {
		return this.temp.resolve("depot");
	}

	private static void postProcessEnvironment(ConfigurableApplicationContext context) {
		SpringApplication application = new SpringApplication();
		application.setMainApplicationClass(ScratchPlaceholdersTests.class);
		new ScratchPlaceholdersEnvironmentPostProcessor().postProcessEnvironment(context.getEnvironment(),
				application);
	}

	@Test
	void valueOnFieldSetterAndConstructorReceivesTheSpace() {
		runner().withUserConfiguration(ValueConsumer.class).run((context) -> {
			ScratchSpaceManager manager = context.getBean(ScratchSpaceManager.class);
			ValueConsumer consumer = context.getBean(ValueConsumer.class);
			assertThat(consumer.fieldString).isEqualTo(manager.getScratch("strings").toString());
			assertThat(consumer.fieldPath).isEqualTo(manager.getScratch("paths")).isDirectory();
			assertThat(consumer.fieldFile).isEqualTo(manager.getScratch("files").toFile());
			assertThat(consumer.setterPath).isEqualTo(manager.getScratch("setter"));
			assertThat(consumer.constructorPath).isEqualTo(manager.getScratch("constructor"));
			assertThat(consumer.indexFile).isEqualTo(manager.getScratch("db").resolve("index.bin"));
			assertThat(consumer.twoSpaces)
				.isEqualTo(manager.getScratch("a") + ":" + manager.getScratch("b"));
		});
	}

	@Test
	void ownerFormsNameTheOwnersDirectory() {
		runner().withUserConfiguration(OwnerConsumer.class).run((context) -> {
			OwnerConsumer consumer = context.getBean(OwnerConsumer.class);
			Path spaces = depot().resolve("scratchspaces");
			assertThat(consumer.global).isEqualTo(spaces.resolve(new UUID(0, 0).toString()).resolve("shared"))
				.isDirectory();
			assertThat(consumer.coordinates).isEqualTo(spaces.resolve(LIBRARY_UUID).resolve("models")).isDirectory();
			assertThat(consumer.uuid).isEqualTo(spaces.resolve(OTHER_UUID).resolve("index")).isDirectory();
		});
	}

	@Test
	void propertyValueIsResolvedForValueAndTheEnvironment() {
		runner().withPropertyValues("app.cache=$<scratch:cache>", "app.index=${app.cache}/index")
			.withUserConfiguration(PropertyConsumer.class)
			.run((context) -> {
				Path cache = context.getBean(ScratchSpaceManager.class).getScratch("cache");
				PropertyConsumer consumer = context.getBean(PropertyConsumer.class);
				assertThat(consumer.cache).isEqualTo(cache);
				assertThat(consumer.index).isEqualTo(cache + "/index");
				assertThat(context.getEnvironment().getProperty("app.cache")).isEqualTo(cache.toString());
			});
	}

	@Test
	void configurationPropertiesBindTheResolvedPath() {
		runner().withPropertyValues("app.cache-dir=$<scratch:cache>", "app.server.basedir=$<scratch:tomcat>")
			.withUserConfiguration(AppPropertiesConfiguration.class)
			.run((context) -> {
				ScratchSpaceManager manager = context.getBean(ScratchSpaceManager.class);
				AppProperties properties = context.getBean(AppProperties.class);
				assertThat(properties.getCacheDir()).isEqualTo(manager.getScratch("cache")).isAbsolute();
				assertThat(properties.getServer().getBasedir()).isEqualTo(manager.getScratch("tomcat").toFile());
			});
	}

	@Test
	void environmentVariablesAreResolvedWithRelaxedNames() {
		runner().withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							Map.of("APP_CACHEDIR", "$<scratch:from-env>"))))
			.withUserConfiguration(AppPropertiesConfiguration.class)
			.run((context) -> {
				Path space = context.getBean(ScratchSpaceManager.class).getScratch("from-env");
				assertThat(context.getBean(AppProperties.class).getCacheDir()).isEqualTo(space);
				assertThat(context.getEnvironment().getProperty("app.cachedir")).isEqualTo(space.toString());
			});
	}

	@Test
	void higherPrecedenceSourceStillWins() {
		runner().withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new org.springframework.core.env.MapPropertySource("override",
					Map.of("app.cache", "$<scratch:override>"))))
			.withPropertyValues("app.cache=$<scratch:ignored>")
			.run((context) -> assertThat(context.getEnvironment().getProperty("app.cache"))
				.isEqualTo(context.getBean(ScratchSpaceManager.class).getScratch("override").toString()));
	}

	@Test
	void placeholderReadBeforeTheContextSharesTheBeansManager() {
		String[] early = new String[1];
		runner().withPropertyValues("app.cache=$<scratch:early>")
			.withInitializer((context) -> early[0] = context.getEnvironment().getProperty("app.cache"))
			.run((context) -> {
				ScratchSpaceManager manager = context.getBean(ScratchSpaceManager.class);
				Path space = manager.getScratch("early");
				assertThat(early[0]).isEqualTo(space.toString());
				assertThat(usageEntries(manager, space)).isOne();
				assertThat(leased(manager, space)).isTrue();
			});
	}

	@Test
	void customizedManagerTakesOverSpacesResolvedBeforeTheContext() {
		String[] early = new String[1];
		runner().withPropertyValues("app.cache=$<scratch:early>")
			.withInitializer((context) -> early[0] = context.getEnvironment().getProperty("app.cache"))
			.withBean(ScratchSpaceManagerCustomizer.class, () -> (builder) -> builder.accessLogInterval(
					java.time.Duration.ofHours(1)))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ScratchSpaceManager manager = context.getBean(ScratchSpaceManager.class);
				Path space = manager.getScratch("early");
				assertThat(early[0]).isEqualTo(space.toString());
				assertThat(leased(manager, space)).isTrue();
			});
	}

	@Test
	void customizerThatMovesAnEarlySpaceFailsTheStart() {
		runner().withPropertyValues("app.cache=$<scratch:early>")
			.withInitializer((context) -> context.getEnvironment().getProperty("app.cache"))
			.withBean(ScratchSpaceManagerCustomizer.class,
					() -> (builder) -> builder.depot(this.temp.resolve("elsewhere")))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(rootCause(context.getStartupFailure()))
					.hasMessageContaining("'$<scratch:early>' was resolved to " + depot())
					.hasMessageContaining("puts that space at " + this.temp.resolve("elsewhere"));
			});
	}

	@Test
	void placeholdersResolveThroughTheApplicationsOwnManager() {
		Path userDepot = this.temp.resolve("user-depot");
		runner().withBean(ScratchSpaceManager.class, () -> ScratchSpaceManager.builder().depot(userDepot).build())
			.withUserConfiguration(ValueConsumer.class)
			.run((context) -> assertThat(context.getBean(ValueConsumer.class).fieldPath).startsWith(userDepot));
	}

	@Test
	void trackAccessFalseWritesNoUsageLog() {
		runner().withPropertyValues("scratch.track-access=false", "app.cache=$<scratch:cache>")
			.withUserConfiguration(ValueConsumer.class, PropertyConsumer.class)
			.run((context) -> {
				assertThat(context.getBean(PropertyConsumer.class).cache).isDirectory();
				assertThat(context.getBean(ScratchSpaceManager.class).usageLog()).doesNotExist();
			});
	}

	@Test
	void trackAccessRecordsEachSpaceOnce() {
		runner().withPropertyValues("app.cache=$<scratch:cache>")
			.withUserConfiguration(ValueConsumer.class, PropertyConsumer.class)
			.run((context) -> {
				ScratchSpaceManager manager = context.getBean(ScratchSpaceManager.class);
				assertThat(usageEntries(manager, manager.getScratch("cache"))).isOne();
				assertThat(usageEntries(manager, manager.getScratch("paths"))).isOne();
			});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			$<scratch:>             | '$<scratch:>'             | it names no space
			$<scratch:a/b/c>        | '$<scratch:a/b/c>'        | more than one '/'
			$<scratch:../x>         | '$<scratch:../x>'         | Invalid scratch space owner '..'
			$<scratch:x             | '$<scratch:x'             | no closing '>'
			$<scratch:bad owner/x>  | '$<scratch:bad owner/x>'  | Invalid scratch space owner 'bad owner'
			$<scratch:..>           | '$<scratch:..>'           | Invalid scratch space key '..'
			$<scratch:a b>/file     | '$<scratch:a b>'          | Invalid scratch space key 'a b'
			""")
	void malformedPlaceholderInValueFailsTheStart(String value, String quoted, String problem) {
		runner().withPropertyValues("test.value=" + value)
			.withUserConfiguration(RawValueConsumer.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(rootCause(context.getStartupFailure()))
					.hasMessageContaining("Invalid scratch space placeholder " + quoted)
					.hasMessageContaining(problem);
			});
	}

	@Test
	void malformedPlaceholderInPropertyFailsTheStartNamingTheProperty() {
		runner().withPropertyValues("app.cache-dir=$<scratch:a/b/c>")
			.withUserConfiguration(AppPropertiesConfiguration.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(rootCause(context.getStartupFailure()))
					.hasMessage("Invalid scratch space placeholder '$<scratch:a/b/c>' in property 'app.cache-dir': "
							+ "it has more than one '/'; write $<scratch:KEY> or $<scratch:OWNER/KEY>");
			});
	}

	@Test
	void placeholderFailsTheStartWhenScratchSpacesAreDisabled() {
		runner().withPropertyValues("scratch.enabled=false").withUserConfiguration(ValueConsumer.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(rootCause(context.getStartupFailure()))
				.hasMessageContaining("scratch spaces are disabled (scratch.enabled=false)");
		});
	}

	@Test
	void depotCannotBeAPlaceholder() {
		runner().withPropertyValues("scratch.depot=$<scratch:depot>").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(rootCause(context.getStartupFailure()))
				.hasMessageContaining("scratch.depot cannot be a scratch space placeholder");
		});
	}

	private static Throwable rootCause(Throwable failure) {
		return NestedExceptionUtils.getMostSpecificCause(failure);
	}

	private static long usageEntries(ScratchSpaceManager manager, Path space) throws Exception {
		Matcher matcher = Pattern.compile(Pattern.quote("[[\"" + space + "\"]]")).matcher(Files.readString(manager.usageLog()));
		return matcher.results().count();
	}

	private static boolean leased(ScratchSpaceManager manager, Path space) {
		return manager.spaces().stream().filter((each) -> each.path().equals(space)).allMatch(ScratchSpace::leased);
	}

	static class ValueConsumer {

		@Value("$<scratch:strings>")
		String fieldString;

		@Value("$<scratch:paths>")
		Path fieldPath;

		@Value("$<scratch:files>")
		File fieldFile;

		@Value("$<scratch:db>/index.bin")
		Path indexFile;

		@Value("$<scratch:a>:$<scratch:b>")
		String twoSpaces;

		Path setterPath;

		final Path constructorPath;

		ValueConsumer(@Value("$<scratch:constructor>") Path constructorPath) {
			this.constructorPath = constructorPath;
		}

		@Autowired
		void setSetterPath(@Value("$<scratch:setter>") Path setterPath) {
			this.setterPath = setterPath;
		}

	}

	static class OwnerConsumer {

		@Value("$<scratch:global/shared>")
		Path global;

		@Value("$<scratch:com.example:lib/models>")
		Path coordinates;

		@Value("$<scratch:" + OTHER_UUID + "/index>")
		Path uuid;

	}

	static class PropertyConsumer {

		@Value("${app.cache}")
		Path cache;

		@Value("${app.index:none}")
		String index;

	}

	static class RawValueConsumer {

		@Value("${test.value}")
		String value;

	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(AppProperties.class)
	static class AppPropertiesConfiguration {

	}

	@ConfigurationProperties("app")
	static class AppProperties {

		private Path cacheDir;

		private final Server server = new Server();

		public Path getCacheDir() {
			return this.cacheDir;
		}

		public void setCacheDir(Path cacheDir) {
			this.cacheDir = cacheDir;
		}

		public Server getServer() {
			return this.server;
		}

		static class Server {

			private File basedir;

			public File getBasedir() {
				return this.basedir;
			}

			public void setBasedir(File basedir) {
				this.basedir = basedir;
			}

		}

	}

}
