package dev.steward.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmailAddressTest {

  @Test
  void keepsTheLocalPartAndLowerCasesTheDomain() {
    EmailAddress a = EmailAddress.of("  Jane.Doe+news@Example.CO.uk ");
    assertThat(a.value()).isEqualTo("Jane.Doe+news@example.co.uk");
    assertThat(a.localPart()).isEqualTo("Jane.Doe+news");
    assertThat(a.domain()).isEqualTo("example.co.uk");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "jane.example.com|has no '@'",
        "jane@@example.com|more than one '@'",
        "@example.com|empty local part",
        "jane@|empty domain",
        "jane@localhost|without a top-level label",
        "jane@example..com|empty label",
        "jane..doe@example.com|double '.'",
        "jane doe@example.com|character '\\u0020'",
        "jane@exa_mple.com|character '_' in its domain",
        "jane@-example.com|starts or ends with '-'",
        "jane@example.123|all-numeric top-level label",
      })
  void namesWhatIsWrong(String raw, String problem) {
    assertThatThrownBy(() -> EmailAddress.of(raw))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining(problem);
  }

  @Test
  void refusesOverlongParts() {
    String local = "a".repeat(65);
    assertThatThrownBy(() -> EmailAddress.of(local + "@example.com"))
        .hasMessageContaining("at most 64");
    String domain =
        String.join(
            ".",
            "f".repeat(10),
            "b".repeat(60),
            "c".repeat(60),
            "d".repeat(60),
            "e".repeat(60),
            "com");
    assertThatThrownBy(() -> EmailAddress.of("x@" + domain)).hasMessageContaining("at most 254");
    assertThatThrownBy(() -> EmailAddress.of(null)).hasMessageContaining("must not be null");
  }
}
