package dev.scratchspace.boot.health;

import java.util.Map;

import dev.scratchspace.boot.actuate.ScratchInventory;
import dev.scratchspace.boot.autoconfigure.ScratchAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for the {@link ScratchHealthIndicator scratch health indicator}, when Spring Boot's health
 * support is present and {@code management.health.scratch.enabled} is not {@code false}.
 *
 * <p>The health-specific condition sits on the bean methods, not on the class, so that the
 * class is skipped by its {@code @ConditionalOnClass} alone when health support is absent.
 * It comes after {@link ScratchAutoConfiguration} and needs its inventory, so it backs off
 * with {@code scratch.enabled=false}; excluding it leaves the endpoint and metrics in place.
 */
@AutoConfiguration(after = ScratchAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(ScratchInventory.class)
@EnableConfigurationProperties
public final class ScratchHealthContributorAutoConfiguration {

	/**
	 * The threshold's name before it moved under {@code management.health.scratch}: still
	 * read, but only while the new name is not set.
	 */
	static final String DEPRECATED_MIN_FREE_SPACE = "scratch.health.min-free-space";

	/** The old name reads a bare number as megabytes too, as the new one does. */
	private static final Bindable<DataSize> MIN_FREE_SPACE = Bindable.of(DataSize.class)
		.withAnnotations(MergedAnnotation.of(DataSizeUnit.class, Map.of("value", DataUnit.MEGABYTES)).synthesize());

	/**
	 * The properties start from the deprecated threshold, if set, and are then bound as usual,
	 * so that {@code management.health.scratch.min-free-space} wins when both are set.
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnEnabledHealthIndicator("scratch")
	ScratchHealthProperties scratchHealthProperties(Environment environment) {
		ScratchHealthProperties properties = new ScratchHealthProperties();
		Binder.get(environment)
			.bind(DEPRECATED_MIN_FREE_SPACE, MIN_FREE_SPACE)
			.map((value) -> ScratchHealthProperties.notNegative(DEPRECATED_MIN_FREE_SPACE, value))
			.ifBound(properties::setMinFreeSpace);
		return properties;
	}

	@Bean
	@ConditionalOnMissingBean(name = "scratchHealthIndicator")
	@ConditionalOnEnabledHealthIndicator("scratch")
	ScratchHealthIndicator scratchHealthIndicator(ScratchInventory inventory, ScratchHealthProperties properties) {
		return new ScratchHealthIndicator(inventory, properties.getMinFreeSpace());
	}

}
