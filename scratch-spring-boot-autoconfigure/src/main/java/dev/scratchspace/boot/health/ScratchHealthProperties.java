package dev.scratchspace.boot.health;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * Configuration properties of the {@code scratch} health indicator. Whether it is enabled
 * is {@code management.health.scratch.enabled}, read by actuator itself.
 */
@ConfigurationProperties("management.health.scratch")
public final class ScratchHealthProperties {

	/**
	 * Free disk space in the depot's file system below which the health is DOWN. A bare number
	 * means megabytes.
	 */
	@DataSizeUnit(DataUnit.MEGABYTES)
	private DataSize minFreeSpace = DataSize.ofMegabytes(100);

	public DataSize getMinFreeSpace() {
		return this.minFreeSpace;
	}

	public void setMinFreeSpace(DataSize minFreeSpace) {
		this.minFreeSpace = notNegative("management.health.scratch.min-free-space", minFreeSpace);
	}

	static DataSize notNegative(String property, DataSize value) {
		if (value.isNegative()) {
			throw new IllegalArgumentException(property + " must not be negative, but was " + value);
		}
		return value;
	}

}
