package dev.scratchspace.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One parsed command line: the command, its options and its operands. Options may come
 * before, between or after the operands, as {@code --name value} or {@code --name=value};
 * {@code --} ends the options. Parsing rejects anything the command does not take.
 *
 * @param command the command, or {@code null} when help was asked for
 * @param options the options given, a switch mapped to the empty string
 * @param operands the operands, in order
 */
record Arguments(@Nullable Command command, Map<Option, String> options, List<String> operands) {

	private static final Set<String> HELP = Set.of("--help", "-h", "help");

	Arguments {
		Map<Option, String> copy = new EnumMap<>(Option.class);
		copy.putAll(options);
		options = Collections.unmodifiableMap(copy);
		operands = List.copyOf(operands);
	}

	/**
	 * Parses the arguments.
	 * @param args the arguments
	 * @return the parsed command line; without a command when help was asked for
	 * @throws UsageException naming the input that does not fit
	 */
	static Arguments parse(String[] args) {
		if (args.length == 0) {
			throw new UsageException("missing command: expected list, gc or clear");
		}
		if (HELP.contains(args[0])) {
			return new Arguments(null, Map.of(), List.of());
		}
		Command command = Command.forWord(args[0]);
		if (command == null) {
			throw new UsageException(
					"unknown command " + UsageException.quote(args[0]) + ": expected list, gc or clear");
		}
		Map<Option, String> options = new EnumMap<>(Option.class);
		List<String> operands = new ArrayList<>();
		boolean optionsEnded = false;
		for (int i = 1; i < args.length; i++) {
			String arg = args[i];
			if (optionsEnded || arg.equals("-") || !arg.startsWith("-")) {
				operands.add(arg);
			}
			else if (arg.equals("--")) {
				optionsEnded = true;
			}
			else if (arg.equals("--help") || arg.equals("-h")) {
				return new Arguments(null, Map.of(), List.of());
			}
			else {
				i = option(command, args, i, options);
			}
		}
		checkOperands(command, operands);
		return new Arguments(command, options, operands);
	}

	/** Reads the option at {@code args[i]}; returns the index of its last argument. */
	private static int option(Command command, String[] args, int i, Map<Option, String> options) {
		String arg = args[i];
		int equals = arg.indexOf('=');
		String flag = (equals < 0) ? arg : arg.substring(0, equals);
		Option option = Option.forFlag(flag);
		if (option == null || !command.accepts(option)) {
			throw new UsageException("unknown option " + UsageException.quote(flag) + " for " + command.word());
		}
		if (options.containsKey(option)) {
			throw new UsageException("option " + flag + " is given twice");
		}
		String valueName = option.valueName();
		if (valueName == null) {
			if (equals >= 0) {
				throw new UsageException("option " + flag + " takes no value, but was given "
						+ UsageException.quote(arg.substring(equals + 1)));
			}
			options.put(option, "");
			return i;
		}
		if (equals >= 0) {
			options.put(option, arg.substring(equals + 1));
			return i;
		}
		if (i + 1 >= args.length) {
			throw new UsageException("option " + flag + " needs a value (" + valueName + ")");
		}
		options.put(option, args[i + 1]);
		return i + 1;
	}

	private static void checkOperands(Command command, List<String> operands) {
		if (operands.size() < command.minOperands()) {
			throw new UsageException(command.word() + " needs an OWNER (a UUID, groupId:artifactId or global)");
		}
		if (operands.size() > command.maxOperands()) {
			String extra = UsageException.quote(operands.get(command.maxOperands()));
			throw new UsageException("unexpected argument " + extra + ": " + command.word()
					+ ((command.maxOperands() == 0) ? " takes no arguments" : " takes OWNER and an optional KEY"));
		}
	}

	boolean has(Option option) {
		return this.options.containsKey(option);
	}

	@Nullable String get(Option option) {
		return this.options.get(option);
	}

}
