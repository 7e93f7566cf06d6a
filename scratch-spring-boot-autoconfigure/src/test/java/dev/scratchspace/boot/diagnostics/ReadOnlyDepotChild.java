package dev.scratchspace.boot.diagnostics;

import java.util.Map;

import dev.scratchspace.boot.diagnostics.FailureAnalysisRun.Result;

/**
 * Runs in a child JVM whose depot is on a read-only mount: starts an application that resolves
 * a placeholder there and prints the analysis of the failure, for
 * {@link ScratchFailureAnalyzersTests} to check.
 */
final class ReadOnlyDepotChild {

	static final String DESCRIPTION = "--- description";

	static final String ACTION = "--- action";

	private ReadOnlyDepotChild() {
	}

	public static void main(String[] args) {
		Result result = FailureAnalysisRun.start(ScratchFailureAnalyzersTests.ServerApplication.class, Map.of(),
				"--scratch.depot=" + args[0], "--app.server.basedir=$<scratch:tomcat>");
		System.out.println(DESCRIPTION);
		System.out.println(result.description());
		System.out.println(ACTION);
		System.out.println(result.action());
	}

}
