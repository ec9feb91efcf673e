package dev.steward.review6;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 997f63b removed CapLedgerStore.Checks and CalendarStore.Checks, but both public interfaces still
 * tell implementers "Every implementation refuses the same bad arguments the same way: call {@link
 * Checks} first". The link no longer resolves, so the build's Javadoc (doclint on, failOnError;
 * attach-javadocs runs at package) fails and {@code mvn -pl core verify} is broken; and the
 * contract itself now points a third-party store at checks it cannot call (LedgerChecks and
 * CalendarChecks are in unexported packages). Correct: the Javadoc builds, and the store contract
 * says what a store must refuse (or the checks stay reachable as API).
 */
class StoreApiDocsTest {

  /**
   * DEFECT: javadoc with the build's doclint reports "reference not found" for {@code {@link
   * Checks}} in CapLedgerStore.java:13 and CalendarStore.java:16.
   */
  @Test
  void theStoreInterfacesJavadocResolvesEveryLink(@TempDir Path out) throws Exception {
    Path sources = Path.of("src/main/java");
    assertThat(sources.resolve("module-info.java")).exists(); // surefire runs in core/
    List<String> modulePath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (name.endsWith(".jar") && (name.startsWith("slf4j-api") || name.startsWith("jackson-"))) {
        modulePath.add(entry);
      }
    }
    Path javadoc = Path.of(System.getProperty("java.home"), "bin", "javadoc");
    List<String> command =
        List.of(
            javadoc.toString(),
            "-quiet",
            "-Xdoclint:reference",
            "--source-path",
            sources.toString(),
            "--module-path",
            String.join(File.pathSeparator, modulePath),
            "-d",
            out.toString(),
            "dev.steward.frequency",
            "dev.steward.calendar");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try (var in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String errors =
        output
            .lines()
            .filter(l -> l.contains("error:"))
            .collect(Collectors.joining(System.lineSeparator()));
    assertThat(errors).as("javadoc errors in the frequency and calendar API").isEmpty();
    assertThat(p.exitValue()).isZero();
    assertThat(Files.exists(out.resolve("index.html"))).isTrue();
  }
}
