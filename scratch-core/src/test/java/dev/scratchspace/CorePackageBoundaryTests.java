package dev.scratchspace;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of the core: no Spring, the manager as the façade on top, and no cycles between
 * its classes or packages.
 */
class CorePackageBoundaryTests {

	private static JavaClasses core;

	@BeforeAll
	static void importCore() {
		JavaClasses imported = new ClassFileImporter()
			.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("dev.scratchspace");
		core = imported.that(DescribedPredicate.describe("in dev.scratchspace",
				(javaClass) -> javaClass.getPackageName().startsWith("dev.scratchspace")));
		assertThat(core).as("classes of dev.scratchspace").isNotEmpty();
	}

	@Test
	void corePackageImportsNoSpringType() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework..")
			.because("the core must work without Spring")
			.check(core);
	}

	@Test
	void coreUsesOnlyTheJdkTomljCommonsCompressAndJspecify() {
		classes().that()
			.resideInAPackage("dev.scratchspace..")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("java..", "javax..", "jdk..", "com.sun.net.httpserver..", "dev.scratchspace..",
					"org.tomlj..", "org.apache.commons.compress..", "org.jspecify..")
			.because("the core's runtime dependencies are tomlj and Commons Compress (whose own dependencies "
					+ "it does not use directly)")
			.check(core);
	}

	@Test
	void coreDoesNotDependOnItsCommandLine() {
		noClasses().that()
			.resideInAPackage("dev.scratchspace")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.scratchspace.cli..")
			.because("the command line is a client of the core's public API")
			.check(core);
	}

	@Test
	void nothingReachesAroundTheFacade() {
		// The command line (dev.scratchspace.cli) is a client above the façade, not behind it.
		noClasses().that()
			.resideInAPackage("dev.scratchspace")
			.and(DescribedPredicate.not(belongToAnyOf(ScratchSpaceManager.class)))
			.should()
			.dependOnClassesThat()
			.belongToAnyOf(ScratchSpaceManager.class)
			.because("the manager is the façade: what it calls must not call back into it")
			.check(core);
	}

	@Test
	void classesAreFreeOfCycles() {
		slices().assignedFrom(TOP_LEVEL_CLASSES)
			.should()
			.beFreeOfCycles()
			.because("each class builds on the ones below it")
			.check(core);
	}

	@Test
	void packagesAreFreeOfCycles() {
		// One package today: the rule keeps any future subpackages in layers.
		slices().matching("dev.scratchspace.(**)").should().beFreeOfCycles().allowEmptyShould(true).check(core);
	}

	/** One slice per top-level class, with its nested classes. */
	private static final SliceAssignment TOP_LEVEL_CLASSES = new SliceAssignment() {

		@Override
		public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
			JavaClass top = javaClass;
			while (top.getEnclosingClass().isPresent()) {
				top = top.getEnclosingClass().get();
			}
			return SliceIdentifier.of(top.getName());
		}

		@Override
		public String getDescription() {
			return "top-level classes";
		}

	};

}
