package dev.scratchspace.boot.actuate.endpoint;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link CollectRequest}.
 */
class CollectRequestTests {

	@Test
	void emptyBodyAndEmptyObjectAskForNothing() {
		assertThat(parse("")).isEqualTo(new CollectRequest(null, null));
		assertThat(parse(" {\n} \r\n")).isEqualTo(new CollectRequest(null, null));
	}

	@Test
	void readsBothFields() {
		assertThat(parse("{\"dryRun\": true, \"collectDelay\": \"PT0S\"}"))
			.isEqualTo(new CollectRequest(true, Duration.ZERO));
		assertThat(parse("{\"collectDelay\":\"7d\",\"dryRun\":false}"))
			.isEqualTo(new CollectRequest(false, Duration.ofDays(7)));
		assertThat(parse("{\"collectDelay\": \"P\\u0054\\u00312H\"}"))
			.isEqualTo(new CollectRequest(null, Duration.ofHours(12)));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			0         | PT0S
			7         | P7D
			7d        | P7D
			12h       | PT12H
			PT0S      | PT0S
			P1DT2H    | PT26H
			36500     | P36500D
			""")
	void collectDelayIsAnIsoOrBootDurationWhereABareNumberMeansDays(String text, String expected) {
		assertThat(CollectRequest.collectDelay(text)).isEqualTo(Duration.parse(expected));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			{"dryrun": true}                          | Unknown field "dryrun" (did you mean "dryRun"?): the body may hold only "dryRun" (a JSON boolean) and "collectDelay"
			{"DryRun": false}                         | Unknown field "DryRun" (did you mean "dryRun"?)
			{"collect_delay": "PT0S"}                 | Unknown field "collect_delay": the body may hold only
			{"dryRun": true, "force": true}           | Unknown field "force"
			{"dryRun": "true"}                        | "dryRun" must be a JSON boolean, true or false, but was a string
			{"dryRun": "no"}                          | "dryRun" must be a JSON boolean, true or false, but was a string
			{"dryRun": 0}                             | "dryRun" must be a JSON boolean, true or false, but was a number
			{"dryRun": -1}                            | "dryRun" must be a JSON boolean, true or false, but was a number
			{"dryRun": null}                          | "dryRun" must be a JSON boolean, true or false, but was null
			{"dryRun": [true]}                        | "dryRun" must be a JSON boolean, true or false, but was an array
			{"dryRun": {}}                            | "dryRun" must be a JSON boolean, true or false, but was an object
			{"collectDelay": 7}                       | "collectDelay" must be a string holding an ISO-8601 or Spring Boot duration such as "PT0S" or "7d" (a bare number means days), from zero to 36500d, but was a number
			{"collectDelay": null}                    | "collectDelay" must be a string holding an ISO-8601 or Spring Boot duration such as "PT0S" or "7d" (a bare number means days), from zero to 36500d, but was null
			{"collectDelay": true}                    | "collectDelay" must be a string holding an ISO-8601 or Spring Boot duration such as "PT0S" or "7d" (a bare number means days), from zero to 36500d, but was a boolean
			{"collectDelay": "soon"}                  | "collectDelay" must be a string holding an ISO-8601 or Spring Boot duration such as "PT0S" or "7d" (a bare number means days), from zero to 36500d, but was "soon"
			{"collectDelay": "P-1D"}                  | "collectDelay" must be a string holding an ISO-8601
			{"dryRun": true, "dryRun": false}         | Duplicate field "dryRun": each field may appear only once
			{"dryRun": false, "dryRun": true}         | Duplicate field "dryRun"
			{"collectDelay": "1d", "collectDelay": "1d"} | Duplicate field "collectDelay"
			[{"dryRun": true}]                        | The body must be empty or a JSON object, but was an array
			"PT0S"                                    | The body must be empty or a JSON object, but was a string
			42                                        | The body must be empty or a JSON object, but was a number
			null                                      | The body must be empty or a JSON object, but was null
			true                                      | The body must be empty or a JSON object, but was a boolean
			`   `                                     | The body is not valid JSON: unexpected end of the body at character 4
			{not json                                 | The body is not valid JSON: expected a field name in double quotes at character 2
			{"dryRun": true,}                         | The body is not valid JSON: expected a field name in double quotes at character 17
			{"dryRun": true                           | The body is not valid JSON: expected ',' or '}' after a field at character 16
			{"dryRun" true}                           | The body is not valid JSON: expected ':' at character 11
			{"dryRun": tru}                           | The body is not valid JSON: expected a JSON value at character 12
			{"dryRun": truex}                         | The body is not valid JSON: expected ',' or '}' after a field at character 16
			{"dryRun": true} {}                       | The body is not valid JSON: unexpected text after the JSON object at character 18
			{'dryRun': true}                          | The body is not valid JSON: expected a field name in double quotes
			{"collectDelay": "PT0S                    | The body is not valid JSON: unterminated string
			""")
	void anyOtherBodyIsRefusedNamingTheFieldAndTheRule(String body, String message) {
		assertThatExceptionOfType(InvalidEndpointRequestException.class).isThrownBy(() -> parse(body))
			.satisfies((ex) -> assertThat(ex.getReason()).startsWith(message).isEqualTo(ex.getMessage()));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			{"collectDelay": "PT0S\\x"}      | invalid escape in a string at character 24
			{"collectDelay": "\\uZZZZ"}      | invalid \\u escape in a string at character 21
			{"collectDelay": "\\u+123"}      | invalid \\u escape in a string at character 21
			{"collectDelay": "\\u12"}        | invalid \\u escape in a string at character 23
			""")
	void invalidEscapeIsMalformed(String body, String problem) {
		assertThatExceptionOfType(InvalidEndpointRequestException.class).isThrownBy(() -> parse(body))
			.withMessage("The body is not valid JSON: " + problem);
	}

	@Test
	void controlCharacterInAStringIsMalformed() {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> parse("{\"collectDelay\": \"PT0S\n\"}"))
			.withMessage("The body is not valid JSON: control character in a string at character 23");
	}

	@Test
	void invalidUtf8IsRefused() {
		byte[] body = { '{', '"', (byte) 0xC0, (byte) 0xAF, '"', ':', 't', 'r', 'u', 'e', '}' };
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> CollectRequest.parse(body))
			.withMessage("The body is not valid UTF-8 JSON");
	}

	@Test
	void longTextFromTheRequestIsShortenedInTheMessage() {
		String name = "x".repeat(1000);
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> parse("{\"" + name + "\": true}"))
			.withMessageStartingWith("Unknown field \"" + "x".repeat(40) + "...\": ");
	}

	private static CollectRequest parse(String body) {
		return CollectRequest.parse(body.getBytes(StandardCharsets.UTF_8));
	}

}
