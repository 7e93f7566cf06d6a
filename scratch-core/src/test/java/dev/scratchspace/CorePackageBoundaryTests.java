package dev.scratchspace;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

class CorePackageBoundaryTests {

	@Test
	void corePackageImportsNoSpringType() {
		JavaClasses core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("dev.scratchspace");
		JavaClasses corePackageOnly = core.that(com.tngtech.archunit.base.DescribedPredicate
			.describe("in dev.scratchspace", (javaClass) -> javaClass.getPackageName().equals("dev.scratchspace")));
		assertThat(corePackageOnly).as("classes of dev.scratchspace").isNotEmpty();
		noClasses().should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework..")
			.because("the core must work without Spring")
			.check(corePackageOnly);
	}

}
