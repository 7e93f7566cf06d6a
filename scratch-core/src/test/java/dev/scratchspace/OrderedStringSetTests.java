package dev.scratchspace;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Tests for {@link OrderedStringSet}.
 */
class OrderedStringSetTests {

	@Test
	void keepsInsertionOrderAndDropsLaterDuplicates() {
		assertThat(OrderedStringSet.copyOf(List.of("c", "a", "c", "b", "a"))).containsExactly("c", "a", "b");
	}

	@Test
	void equalsAndHashesAsAnySet() {
		Set<String> set = OrderedStringSet.copyOf(List.of("b", "a"));
		assertThat(set).isEqualTo(Set.of("a", "b")).hasSameHashCodeAs(new HashSet<>(List.of("a", "b")));
		assertThat(Set.of("a", "b")).isEqualTo(set);
		assertThat(OrderedStringSet.copyOf(List.of())).isEqualTo(Set.of());
	}

	@Test
	void containsFindsElementsOfSmallAndLargeSets() {
		List<String> many = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			many.add("/p/" + i);
		}
		Set<String> large = OrderedStringSet.copyOf(many);
		assertThat(large).containsExactlyElementsOf(many);
		assertThat(large.contains("/p/99")).isTrue();
		assertThat(large.contains("/p/100")).isFalse();
		assertThat(OrderedStringSet.copyOf(List.of("x")).contains("x")).isTrue();
		assertThat(OrderedStringSet.copyOf(List.of("x")).contains(null)).isFalse();
	}

	@Test
	void isACopyAndCannotBeChanged() {
		Set<String> source = new LinkedHashSet<>(List.of("a", "b"));
		Set<String> copy = OrderedStringSet.copyOf(source);
		source.add("c");
		assertThat(copy).containsExactly("a", "b");
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> copy.add("c"));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> copy.remove("a"));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> copy.iterator().remove());
	}

	@Test
	void rejectsNull() {
		List<String> withNull = new ArrayList<>();
		withNull.add(null);
		assertThatNullPointerException().isThrownBy(() -> OrderedStringSet.copyOf(withNull))
			.withMessage("'strings' must not contain null");
	}

}
