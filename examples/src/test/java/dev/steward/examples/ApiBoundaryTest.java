package dev.steward.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The examples are what integrators copy: they use only the packages steward-core exports (its
 * module-info.java), never its internals, so that what they show works from a module too.
 */
@AnalyzeClasses(
    packages = "dev.steward.examples",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ApiBoundaryTest {

  @ArchTest
  static final ArchRule examplesUseOnlyExportedPackages =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.steward.internal..")
          .because("dev.steward.internal is not exported by steward-core");
}
