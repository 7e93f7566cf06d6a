package dev.scratchspace;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * An immutable set of strings in insertion order, kept in an array. A usage log names
 * 100,000 spaces, most with one or two parent projects; a {@code LinkedHashSet} each would
 * be most of the memory a read takes, and most of its garbage-collection time.
 */
final class OrderedStringSet extends AbstractSet<String> {

	/** Above this size, {@link #contains} uses a hash set rather than a scan. */
	private static final int SCAN_LIMIT = 16;

	private static final OrderedStringSet EMPTY = new OrderedStringSet(new String[0]);

	private final String[] elements;

	private final @Nullable Set<String> index;

	private OrderedStringSet(String[] elements) {
		this.elements = elements;
		this.index = (elements.length > SCAN_LIMIT) ? new HashSet<>(Arrays.asList(elements)) : null;
	}

	/**
	 * An immutable copy that keeps the iteration order.
	 * @param strings the strings; duplicates after the first are dropped
	 * @return the set
	 */
	static OrderedStringSet copyOf(Collection<String> strings) {
		if (strings instanceof OrderedStringSet set) {
			return set;
		}
		String[] elements = strings.toArray(new String[0]);
		for (String element : elements) {
			Objects.requireNonNull(element, "'strings' must not contain null");
		}
		if (!(strings instanceof Set) && new HashSet<>(Arrays.asList(elements)).size() < elements.length) {
			elements = new LinkedHashSet<>(Arrays.asList(elements)).toArray(new String[0]);
		}
		return (elements.length == 0) ? EMPTY : new OrderedStringSet(elements);
	}

	/**
	 * A set of the first {@code count} strings, which the caller guarantees to be distinct and
	 * not null.
	 * @param elements the strings
	 * @param count how many of them
	 * @return the set
	 */
	static OrderedStringSet ofDistinct(String[] elements, int count) {
		return (count == 0) ? EMPTY : new OrderedStringSet(Arrays.copyOf(elements, count));
	}

	@Override
	public int size() {
		return this.elements.length;
	}

	@Override
	public boolean contains(@Nullable Object o) {
		if (this.index != null) {
			return this.index.contains(o);
		}
		for (String element : this.elements) {
			if (element.equals(o)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public Iterator<String> iterator() {
		return new Iterator<>() {

			private int next;

			@Override
			public boolean hasNext() {
				return this.next < OrderedStringSet.this.elements.length;
			}

			@Override
			public String next() {
				if (!hasNext()) {
					throw new NoSuchElementException();
				}
				return OrderedStringSet.this.elements[this.next++];
			}

		};
	}

}
