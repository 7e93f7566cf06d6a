package dev.scratchspace;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KeyStore}.
 */
class KeyStoreTests {

	@Test
	void givesEachDistinctKeyOneHandle() {
		KeyStore keys = new KeyStore(0);
		int a = add(keys, "\"/a\"");
		int b = add(keys, "\"/b\"");
		int empty = add(keys, "");
		assertThat(List.of(a, b, empty)).doesNotHaveDuplicates().allSatisfy((handle) -> assertThat(handle).isNotNegative());
		assertThat(add(keys, "\"/a\"")).isEqualTo(a);
		assertThat(add(keys, "")).isEqualTo(empty);
		assertThat(keys.size()).isEqualTo(3);
		assertThat(find(keys, "\"/b\"")).isEqualTo(b);
		assertThat(find(keys, "\"/c\"")).isEqualTo(-1);
		assertThat(find(keys, "\"/a")).isEqualTo(-1);
		assertThat(keys.size()).isEqualTo(3);
	}

	@Test
	void payloadStartsAtZeroAndKeepsWhatIsSetThroughGrowth() {
		KeyStore keys = new KeyStore(3);
		int count = 20_000;
		int[] handles = new int[count];
		for (int i = 0; i < count; i++) {
			handles[i] = add(keys, "\"/d/" + i + "\"");
			assertThat(keys.payload(handles[i], 0)).isZero();
			assertThat(keys.payload(handles[i], 2)).isZero();
			keys.payload(handles[i], 0, Long.MIN_VALUE + i);
			keys.payload(handles[i], 1, -1L);
			keys.payload(handles[i], 2, i);
		}
		for (int i = 0; i < count; i++) {
			assertThat(find(keys, "\"/d/" + i + "\"")).isEqualTo(handles[i]);
			assertThat(keys.payload(handles[i], 0)).isEqualTo(Long.MIN_VALUE + i);
			assertThat(keys.payload(handles[i], 1)).isEqualTo(-1L);
			assertThat(keys.payload(handles[i], 2)).isEqualTo(i);
		}
	}

	@Test
	void keysWithTheSameHashStayApart() {
		// Two different keys with the same 32-bit hash: the birthday bound finds a pair fast.
		Random random = new Random(11);
		Map<Integer, byte[]> seen = new HashMap<>();
		byte[] first = null;
		byte[] second = null;
		while (first == null) {
			byte[] key = new byte[8];
			random.nextBytes(key);
			byte[] earlier = seen.putIfAbsent(ByteSearch.hash(key, 0, key.length), key);
			if (earlier != null && !Arrays.equals(earlier, key)) {
				first = earlier;
				second = key;
			}
		}
		KeyStore keys = new KeyStore(1);
		assertThat(keys.find(second, 0, second.length)).isEqualTo(-1);
		int one = keys.add(first, 0, first.length);
		keys.payload(one, 0, 1);
		assertThat(keys.find(second, 0, second.length)).isEqualTo(-1);
		int two = keys.add(second, 0, second.length);
		keys.payload(two, 0, 2);
		assertThat(two).isNotEqualTo(one);
		assertThat(keys.find(first, 0, first.length)).isEqualTo(one);
		assertThat(keys.find(second, 0, second.length)).isEqualTo(two);
		assertThat(keys.payload(one, 0)).isEqualTo(1);
		assertThat(keys.payload(two, 0)).isEqualTo(2);
	}

	@Test
	void keysThatShareSlotsAndDifferOnlyInLengthOrLastByteStayApart() {
		KeyStore keys = new KeyStore(1);
		String base = "\"/depot/scratchspaces/0123/space-";
		for (int i = 0; i < 3_000; i++) {
			keys.payload(add(keys, base + i + "\""), 0, i);
		}
		int bare = add(keys, base + "\"");
		assertThat(keys.size()).isEqualTo(3_001);
		assertThat(keys.payload(bare, 0)).isZero();
		assertThat(keys.payload(find(keys, base + "1\""), 0)).isEqualTo(1);
		assertThat(find(keys, base + "1")).isEqualTo(-1);
		assertThat(keys.payload(find(keys, base + "2999\""), 0)).isEqualTo(2_999);
		assertThat(find(keys, base + "3000\"")).isEqualTo(-1);
	}

	@Test
	void growsPastItsTableAndRecordsAndKeepsEveryKey() {
		KeyStore keys = new KeyStore(1);
		int count = 200_000;
		for (int i = 0; i < count; i++) {
			int handle = add(keys, "\"/d/scratchspaces/" + Integer.toHexString(i * 31) + "/k-" + i + "\"");
			assertThat(keys.size()).isEqualTo(i + 1);
			keys.payload(handle, 0, i);
		}
		for (int i = 0; i < count; i++) {
			int handle = find(keys, "\"/d/scratchspaces/" + Integer.toHexString(i * 31) + "/k-" + i + "\"");
			assertThat(handle).isNotNegative();
			assertThat(keys.payload(handle, 0)).isEqualTo(i);
		}
	}

	@Test
	void keepsKeysLongerThanItsInitialRecords() {
		KeyStore keys = new KeyStore(2);
		byte[] longKey = new byte[3 << 20];
		Arrays.fill(longKey, (byte) 'x');
		byte[] almost = longKey.clone();
		almost[almost.length - 1] = 'y';
		int small = add(keys, "\"short\"");
		int large = keys.add(longKey, 0, longKey.length);
		int other = keys.add(almost, 0, almost.length);
		assertThat(List.of(small, large, other)).doesNotHaveDuplicates();
		keys.payload(large, 1, 42);
		assertThat(keys.find(longKey, 0, longKey.length)).isEqualTo(large);
		assertThat(keys.find(almost, 0, almost.length)).isEqualTo(other);
		assertThat(keys.find(longKey, 1, longKey.length)).isEqualTo(-1);
		assertThat(find(keys, "\"short\"")).isEqualTo(small);
		assertThat(keys.payload(large, 1)).isEqualTo(42);
		assertThat(keys.payload(other, 1)).isZero();
	}

	@Test
	void comparesRawBytesSoUnicodeAndItsEscapesAreDifferentKeys() {
		KeyStore keys = new KeyStore(0);
		int plain = add(keys, "\"/d/café\"");
		int escaped = add(keys, "\"/d/caf\\u00e9\"");
		int literal = add(keys, "'/d/café'");
		int astral = add(keys, "\"/d/🦀/日本\"");
		assertThat(List.of(plain, escaped, literal, astral)).doesNotHaveDuplicates();
		assertThat(find(keys, "\"/d/café\"")).isEqualTo(plain);
		assertThat(find(keys, "\"/d/🦀/日本\"")).isEqualTo(astral);
		assertThat(find(keys, "\"/d/cafe\"")).isEqualTo(-1);
	}

	@Test
	void agreesWithAMapOnRandomKeysAtRandomPlacesInTheirArrays() {
		Random random = new Random(42);
		KeyStore keys = new KeyStore(1);
		Map<String, Integer> expected = new HashMap<>();
		byte[] alphabet = "ab/\"\\\u0000é".getBytes(StandardCharsets.UTF_8);
		for (int n = 0; n < 50_000; n++) {
			byte[] key = new byte[random.nextInt(random.nextBoolean() ? 4 : 40)];
			for (int i = 0; i < key.length; i++) {
				key[i] = alphabet[random.nextInt(alphabet.length)];
			}
			// The same key inside a larger array, at an offset, with other bytes around it.
			int before = random.nextInt(9);
			byte[] line = new byte[before + key.length + random.nextInt(9)];
			random.nextBytes(line);
			System.arraycopy(key, 0, line, before, key.length);
			String name = Arrays.toString(key);
			Integer known = expected.get(name);
			if (random.nextInt(4) == 0) {
				int handle = keys.find(line, before, before + key.length);
				assertThat((handle < 0) ? null : (Integer) (int) keys.payload(handle, 0)).isEqualTo(known);
			}
			else {
				int handle = keys.add(line, before, before + key.length);
				if (known == null) {
					assertThat(keys.payload(handle, 0)).isZero();
					keys.payload(handle, 0, n);
					expected.put(name, n);
				}
				assertThat(keys.payload(handle, 0)).isEqualTo(expected.get(name).longValue());
			}
			assertThat(keys.size()).isEqualTo(expected.size());
		}
	}

	private static int add(KeyStore keys, String key) {
		byte[] b = key.getBytes(StandardCharsets.UTF_8);
		return keys.add(b, 0, b.length);
	}

	private static int find(KeyStore keys, String key) {
		byte[] b = key.getBytes(StandardCharsets.UTF_8);
		return keys.find(b, 0, b.length);
	}

}
