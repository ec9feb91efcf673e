package dev.steward.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Suppressions and delistings refuse what no store keeps, naming the argument, before any write.
 */
class SuppressionValuesTest {
  static final TenantId ACME = TenantId.of("acme");
  static final EmailAddress ANA = EmailAddress.of("ana@example.com");
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void aGroupUnsubscribeNamesItsCategoryAndNoOtherReasonDoes() {
    assertThatThrownBy(
            () ->
                new Suppression(
                    ACME, ANA, SuppressionReason.GROUP_UNSUBSCRIBE, Optional.empty(), T0, "src"))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("category");
    assertThatThrownBy(
            () ->
                new Suppression(
                    ACME, ANA, SuppressionReason.HARD_BOUNCE, Optional.of("tips"), T0, "src"))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("category");
    assertThatThrownBy(() -> Suppression.group(ACME, ANA, "no spaces", T0, "src"))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("category");
    assertThat(Suppression.group(ACME, ANA, " Tips ", T0, "src").category()).contains("tips");
  }

  @Test
  void missingOrUnstorableValuesAreRefusedByName() {
    assertThatThrownBy(
            () -> Suppression.of(null, ANA, SuppressionReason.HARD_BOUNCE, T0, "provider:bounce"))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("tenant");
    assertThatThrownBy(
            () -> Suppression.of(ACME, null, SuppressionReason.HARD_BOUNCE, T0, "provider:bounce"))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("address");
    assertThatThrownBy(() -> Suppression.of(ACME, ANA, null, T0, "provider:bounce"))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("reason");
    assertThatThrownBy(
            () ->
                Suppression.of(
                    ACME,
                    ANA,
                    SuppressionReason.HARD_BOUNCE,
                    StoreLimits.MAX_INSTANT.plusNanos(1),
                    "provider:bounce"))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("since");
    assertThatThrownBy(() -> Suppression.of(ACME, ANA, SuppressionReason.HARD_BOUNCE, T0, " "))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("source");
    assertThatThrownBy(
            () -> Delisting.of(ACME, ANA, SuppressionReason.HARD_BOUNCE, T0, "operator:jane", ""))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("note");
    assertThatThrownBy(
            () ->
                Delisting.of(
                    ACME,
                    ANA,
                    SuppressionReason.HARD_BOUNCE,
                    T0,
                    "operator:jane",
                    "x".repeat(1001)))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("note");
  }

  @Test
  void anEntryHoldsOneSuppressionPerReasonAndOnlyItsOwnAddress() {
    Suppression bounce = Suppression.of(ACME, ANA, SuppressionReason.HARD_BOUNCE, T0, "p");
    assertThatThrownBy(() -> new AddressSuppressions(ACME, ANA, List.of(bounce, bounce), List.of()))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("twice");
    assertThatThrownBy(
            () -> new AddressSuppressions(TenantId.of("globex"), ANA, List.of(bounce), List.of()))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("globex");
  }

  @Test
  void theReasonsStopTheKindsOfMailTheySay() {
    for (MessageKind k : MessageKind.values()) {
      assertThat(SuppressionReason.HARD_BOUNCE.stops(k, false)).isTrue();
      assertThat(SuppressionReason.INVALID_ADDRESS.stops(k, false)).isTrue();
      assertThat(SuppressionReason.SPAM_REPORT.stops(k, false))
          .isEqualTo(k != MessageKind.TRANSACTIONAL);
      assertThat(SuppressionReason.SPAM_REPORT.stops(k, true)).isTrue();
      assertThat(SuppressionReason.UNSUBSCRIBE.stops(k, true)).isEqualTo(!k.isAccountMail());
    }
  }

  @Test
  void aLoggedSuppressionShowsTheAddressMasked() {
    Suppression s =
        Suppression.of(ACME, ANA, SuppressionReason.SPAM_REPORT, T0, "provider:spam-report");
    assertThat(s.toString()).contains("a***@example.com").doesNotContain("ana@");
    assertThat(EmailAddress.of("Zed.Q@Mail.Example.com").masked())
        .isEqualTo("Z***@mail.example.com");
  }
}
