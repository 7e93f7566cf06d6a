package dev.scratchspace.boot.metrics;

import dev.scratchspace.boot.actuate.ScratchGarbageCollector;
import dev.scratchspace.boot.actuate.ScratchInventory;
import dev.scratchspace.boot.autoconfigure.ScratchAutoConfiguration;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for the {@link ScratchMetrics Micrometer meters} of scratch spaces, when Micrometer is
 * present. The meters are a {@link MeterBinder}, bound to every meter registry there is, and
 * a {@link ScratchGarbageCollector.Listener}, told about every garbage collection.
 *
 * <p>It comes after {@link ScratchAutoConfiguration} and needs its inventory, so it backs off
 * with {@code scratch.enabled=false}; excluding it leaves the endpoint and health in place.
 * It does not wait for a meter registry: the binder costs nothing until one binds it, and
 * the garbage collector tells it about runs either way.
 */
@AutoConfiguration(after = ScratchAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(ScratchInventory.class)
public final class ScratchMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ScratchMetrics scratchMetrics(ScratchInventory inventory) {
		return new ScratchMetrics(inventory);
	}

}
