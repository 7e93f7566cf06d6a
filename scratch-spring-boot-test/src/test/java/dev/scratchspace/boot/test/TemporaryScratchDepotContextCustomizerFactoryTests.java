package dev.scratchspace.boot.test;

import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.ContextCustomizer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TemporaryScratchDepotContextCustomizerFactory} and the equality of its
 * customizers, which decides what the context cache shares.
 */
class TemporaryScratchDepotContextCustomizerFactoryTests {

	private final TemporaryScratchDepotContextCustomizerFactory factory = new TemporaryScratchDepotContextCustomizerFactory();

	@Test
	void annotatedClassesGetEqualCustomizers() {
		ContextCustomizer one = this.factory.createContextCustomizer(Annotated.class, List.of());
		ContextCustomizer two = this.factory.createContextCustomizer(AlsoAnnotated.class, List.of());
		assertThat(one).isInstanceOf(TemporaryScratchDepotContextCustomizer.class).isEqualTo(two).isNotSameAs(two);
		assertThat(one).hasSameHashCodeAs(two);
	}

	@Test
	void customizerIsNotEqualToAnotherCustomizer() {
		ContextCustomizer customizer = this.factory.createContextCustomizer(Annotated.class, List.of());
		ContextCustomizer other = (context, mergedConfig) -> {
		};
		assertThat(customizer).isNotEqualTo(other).isNotEqualTo(null);
	}

	@Test
	void classWithoutTheAnnotationGetsNoCustomizer() {
		assertThat(this.factory.createContextCustomizer(NotAnnotated.class, List.of())).isNull();
	}

	@Test
	void subclassAndNestedClassInheritTheAnnotation() {
		assertThat(this.factory.createContextCustomizer(Subclass.class, List.of())).isNotNull();
		assertThat(this.factory.createContextCustomizer(Annotated.Inner.class, List.of())).isNotNull();
	}

	@TemporaryScratchDepot
	static class Annotated {

		@Nested
		class Inner {

		}

	}

	@TemporaryScratchDepot
	static class AlsoAnnotated {

	}

	static class Subclass extends Annotated {

	}

	static class NotAnnotated {

	}

}
