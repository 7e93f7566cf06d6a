package dev.scratchspace.boot.autoconfigure;

import dev.scratchspace.ScratchSpaceManager;

/**
 * Callback for adjusting the auto-configured {@link ScratchSpaceManager} before it is built,
 * after the {@code scratch.*} properties have been applied. Customizer beans are applied in
 * their {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface ScratchSpaceManagerCustomizer {

	/**
	 * Customizes the builder of the application's {@link ScratchSpaceManager}.
	 * @param builder the builder, with the {@code scratch.*} properties already applied
	 */
	void customize(ScratchSpaceManager.Builder builder);

}
