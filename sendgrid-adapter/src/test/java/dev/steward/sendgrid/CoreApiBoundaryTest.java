package dev.steward.sendgrid;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
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
import java.util.HashSet;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The adapter builds on steward-core's API only: every core class it uses is in a package core's
 * module descriptor (module-info.class) exports, read from the jar or classes core was loaded from,
 * so a new internal package in core is out of bounds without anyone updating a list here.
 */
class CoreApiBoundaryTest {

  /** The packages the dev.steward.core module exports to everyone. */
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
                    && !c.getPackageName().equals("dev.steward.sendgrid")
                    && !c.getPackageName().startsWith("dev.steward.sendgrid.")
                    && !exported.contains(c.getPackageName()));
    return noClasses().should().dependOnClassesThat(unexportedCore);
  }

  private static JavaClasses adapter() {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.steward.sendgrid");
  }

  @Test
  void theAdapterUsesOnlyPackagesStewardCoreExports() throws Exception {
    Set<String> exported = exportedByCore();
    assertThat(exported)
        .contains("dev.steward", "dev.steward.delivery", "dev.steward.consent")
        .doesNotContain("dev.steward.internal");
    JavaClasses classes = adapter();
    // the import found the adapter's classes, so the rule below checked something
    assertThat(classes.contain("dev.steward.sendgrid.mail.SendGridTransport")).isTrue();
    assertThat(classes.contain("dev.steward.sendgrid.webhook.EventWebhookVerifier")).isTrue();
    onlyExported(exported).check(classes);
  }

  @Test
  void theRuleRefusesAUseOfACorePackageOutsideTheExports() throws Exception {
    // the transport uses dev.steward.delivery: with that package taken out of the exports the
    // rule must fail on it, naming the class (this holds whatever core's internals look like)
    Set<String> fewer = new HashSet<>(exportedByCore());
    assertThat(fewer.remove("dev.steward.delivery")).isTrue();
    var transport =
        new ClassFileImporter().importClasses(dev.steward.sendgrid.mail.SendGridTransport.class);
    assertThatThrownBy(() -> onlyExported(fewer).check(transport))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("dev.steward.delivery.MailTransport");
    onlyExported(exportedByCore()).check(transport);
  }

  @Test
  void theAdaptersOwnInternalPackageIsNotMistakenForCores() throws Exception {
    // the adapter's unexported dev.steward.sendgrid.internal is its own, not core's: allowed
    var exchange =
        new ClassFileImporter()
            .importClasses(
                Class.forName("dev.steward.sendgrid.mail.Exchange"),
                dev.steward.sendgrid.internal.ErrorBodies.class);
    onlyExported(exportedByCore()).check(exchange);
  }
}
