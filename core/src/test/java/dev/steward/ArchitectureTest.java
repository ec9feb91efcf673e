package dev.steward;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;

/** The package rules of DESIGN.md, kept by the build rather than by review. */
@AnalyzeClasses(packages = "dev.steward", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule valueTypesDependOnNothingOfSteward =
      noClasses()
          .that()
          .resideInAPackage("dev.steward.model..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.steward.delivery..",
              "dev.steward.consent..",
              "dev.steward.frequency..",
              "dev.steward.calendar..",
              "dev.steward.health..",
              "dev.steward.jdbc..",
              "dev.steward.testing..");

  @ArchTest
  static final ArchRule capabilitiesSeeStoreInterfacesNeverJdbc =
      noClasses()
          .that()
          .resideOutsideOfPackages("dev.steward.jdbc..", "dev.steward")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.steward.jdbc..", "java.sql..", "javax.sql..");

  @ArchTest
  static final ArchRule coreKnowsNothingOfSendGrid =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("com.sendgrid..", "okhttp3..", "dev.steward.sendgrid..");

  @ArchTest
  static final ArchRule timeComesFromTheInjectedClock =
      noClasses()
          .should()
          .callMethod(Instant.class, "now")
          .orShould()
          .callMethod(System.class, "currentTimeMillis")
          .orShould()
          .callMethod(LocalDate.class, "now")
          .orShould()
          .callMethod(LocalDateTime.class, "now")
          .orShould()
          .callMethod(ZonedDateTime.class, "now");

  /** A builder never quietly takes the system clock: the application passes its own. */
  @ArchTest
  static final ArchRule noSystemClockInTheLibrary =
      noClasses()
          .should()
          .callMethod(java.time.Clock.class, "systemUTC")
          .orShould()
          .callMethod(java.time.Clock.class, "systemDefaultZone")
          .orShould()
          .callMethod(java.time.Clock.class, "system", java.time.ZoneId.class);

  /**
   * No process-wide mutable state: two Stewards in one JVM (two tests, two applications in one
   * container) share nothing. Static fields are final and hold immutable values; the one exception
   * is the JVM-wide lock that keeps two bootstraps of one H2 database apart (H2 serves one JVM).
   */
  @ArchTest
  static final ArchRule noStaticMutableState =
      fields()
          .that()
          .areStatic()
          .and()
          .areDeclaredInClassesThat()
          .resideOutsideOfPackage("dev.steward.testing..")
          .and()
          .doNotHaveName("H2_LOCK")
          .should()
          .beFinal()
          .andShould()
          .notHaveRawType(java.util.HashMap.class)
          .andShould()
          .notHaveRawType(java.util.ArrayList.class)
          .andShould()
          .notHaveRawType(java.util.HashSet.class)
          .andShould()
          .notHaveRawType(java.util.concurrent.ConcurrentHashMap.class)
          .andShould()
          .notHaveRawType(java.util.concurrent.ConcurrentMap.class)
          .andShould()
          .notHaveRawType(java.util.concurrent.atomic.AtomicLong.class)
          .andShould()
          .notHaveRawType(java.util.concurrent.atomic.AtomicInteger.class)
          .andShould()
          .notHaveRawType(java.util.concurrent.atomic.AtomicReference.class)
          .andShould()
          .notHaveRawType(java.util.concurrent.atomic.LongAdder.class)
          .because("state shared by every instance in the JVM makes instances interfere");

  @ArchTest
  static final ArchRule noStandardStreams =
      GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;

  @ArchTest
  static final ArchRule loggingOnlyThroughSlf4j =
      GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

  /** The calendar is a capability of its own: it never depends on the limiter's package. */
  @ArchTest
  static final ArchRule calendarAndFrequencyStayApart =
      noClasses()
          .that()
          .resideInAPackage("dev.steward.calendar..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.steward.frequency..");

  @ArchTest
  static final ArchRule capabilityPackagesAreFreeOfCycles =
      slices().matching("dev.steward.(*)..").should().beFreeOfCycles();
}
