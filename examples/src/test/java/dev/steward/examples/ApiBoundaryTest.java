package dev.steward.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.steward.Steward;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The examples are what integrators copy: they use only the packages steward-core exports, read
 * from its own module descriptor (module-info.class), never its internals, so that what they show
 * works from a module too.
 */
class ApiBoundaryTest {

  /**
   * The packages the steward-core module exports, read from the jar or classes it was loaded from.
   */
  static Set<String> exportedByCore() throws IOException, URISyntaxException {
    Path where = Path.of(Steward.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor descriptor;
    if (Files.isDirectory(where)) {
      try (InputStream in = Files.newInputStream(where.resolve("module-info.class"))) {
        descriptor = ModuleDescriptor.read(in);
      }
    } else {
      try (JarFile jar = new JarFile(where.toFile());
          InputStream in = jar.getInputStream(jar.getEntry("module-info.class"))) {
        descriptor = ModuleDescriptor.read(in);
      }
    }
    assertThat(descriptor.name()).isEqualTo("dev.steward.core");
    return descriptor.exports().stream()
        .filter(e -> !e.isQualified())
        .map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toSet());
  }

  /** No class may use a steward-core class outside the packages {@code exported}. */
  static ArchRule onlyExported(Set<String> exported) {
    DescribedPredicate<JavaClass> unexportedCore =
        DescribedPredicate.describe(
            "in a steward-core package that is not exported",
            c ->
                c.getPackageName().startsWith("dev.steward")
                    && !c.getPackageName().startsWith("dev.steward.examples")
                    && !c.getPackageName().startsWith("dev.steward.sendgrid")
                    && !exported.contains(c.getPackageName()));
    return noClasses().should().dependOnClassesThat(unexportedCore);
  }

  @Test
  void examplesUseOnlyPackagesStewardCoreExports() throws Exception {
    Set<String> exported = exportedByCore();
    assertThat(exported)
        .contains("dev.steward", "dev.steward.delivery")
        .doesNotContain("dev.steward.internal", "dev.steward.frequency.internal");
    onlyExported(exported)
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.steward.examples"));
  }

  @Test
  void theRuleRefusesAUseOfACorePackageOutsideTheExports() throws Exception {
    // the examples use dev.steward.delivery: with that package taken out of the exports, the rule
    // must name an example that uses it (so the rule is live whatever core's internals are)
    Set<String> fewer = new java.util.HashSet<>(exportedByCore());
    fewer.remove("dev.steward.delivery");
    var examples =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.steward.examples");
    assertThatThrownBy(() -> onlyExported(fewer).check(examples))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("dev.steward.delivery.");
  }
}
