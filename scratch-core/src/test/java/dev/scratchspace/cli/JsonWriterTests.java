package dev.scratchspace.cli;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON writer's structure and escaping, checked by an independent parser. */
class JsonWriterTests {

	@Test
	void nestedStructureIsIndentedAndParses() {
		String json = new JsonWriter().beginObject()
			.name("a")
			.value(1)
			.name("empty")
			.beginArray()
			.endArray()
			.name("list")
			.beginArray()
			.value("x")
			.value((String) null)
			.beginObject()
			.name("b")
			.value(true)
			.endObject()
			.endArray()
			.name("none")
			.beginObject()
			.endObject()
			.endObject()
			.toString();

		assertThat(json).isEqualTo("""
				{
				  "a": 1,
				  "empty": [],
				  "list": [
				    "x",
				    null,
				    {
				      "b": true
				    }
				  ],
				  "none": {}
				}""");
	}

	@Test
	void everyCharacterSurvivesTheRoundTrip() {
		StringBuilder all = new StringBuilder();
		for (char c = 0; c < 0x300; c++) {
			all.append(c);
		}
		all.append("\u2028\u2029\ud83d\ude00\ud800 lone \udc00");
		String text = all.toString();

		String json = new JsonWriter().beginObject().name(text).value(text).endObject().toString();

		assertThat(json.chars()).allMatch((c) -> c == '\n' || (c >= 0x20 && c < 0x7f));
		assertThat(json).contains("\\\"", "\\\\", "\\n", "\\t", "\\u0000", "\\u001f", "\\ud800");
		JsonNode node = ScratchCommandLineTests.JSON.readTree(json);
		assertThat(node.propertyNames()).containsExactly(text);
		assertThat(node.get(text).stringValue()).isEqualTo(text);
	}

}
