package dev.steward.frequency;

import static dev.steward.frequency.Messages.promo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * A message without a zone takes its policy's default zone or is refused (never read in UTC), and a
 * deferral's reasons name the rule that set its instant.
 */
class ZoneAndExplanationTest {
  private static final Instant MON_13 = Instant.parse("2026-01-05T13:00:00Z");
  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private final SettableClock clock = SettableClock.of(MON_13);
  private final InMemoryCapLedgerStore store = InMemoryCapLedgerStore.of();

  private FrequencyCapLimiter limiter(CapPolicy policy) {
    return FrequencyCapLimiter.builder(store, clock).policy(policy).build();
  }

  private static Message withoutZone(String contact) {
    return promo(contact).toBuilder().recipientZone(null).build();
  }

  private static Reason reason(Decision d, String rule) {
    return d.reasons().stream().filter(r -> r.rule().equals(rule)).findFirst().orElseThrow();
  }

  @Test
  void aMessageWithoutAZoneIsRefusedWithItsIdAndTenantWhenARuleReadsLocalTime() {
    FrequencyCapLimiter limiter =
        limiter(
            CapPolicy.builder()
                .cap(Cap.perContact(1, Window.day()))
                .quietHours(LocalTime.of(21, 0), LocalTime.of(8, 0))
                .build());
    Message m = withoutZone("ada");

    assertThat(m.recipientZone()).isEmpty();
    assertThatThrownBy(() -> limiter.decide(m))
        .isInstanceOf(MissingZoneException.class)
        .isInstanceOf(InvalidLimiterArgumentException.class)
        .hasMessageContaining(m.id().value())
        .hasMessageContaining("t1")
        .satisfies(
            e -> {
              assertThat(((MissingZoneException) e).messageId()).isEqualTo(m.id());
              assertThat(((MissingZoneException) e).tenant()).isEqualTo(TenantId.of("t1"));
            });
    assertThatThrownBy(() -> limiter.whatIf(m)).isInstanceOf(MissingZoneException.class);
    // refused before anything was written
    assertThat(store.subjectCount()).isZero();
  }

  @Test
  void aMessageWithoutAZoneIsReadInThePolicysDefaultZone() {
    FrequencyCapLimiter limiter =
        limiter(
            CapPolicy.builder()
                .quietHours(LocalTime.of(21, 0), LocalTime.of(8, 0))
                .defaultZone(TOKYO)
                .build());

    // 13:00 UTC is 22:00 in Tokyo: quiet until 08:00 there, 23:00 UTC
    Decision d = limiter.decide(withoutZone("ada"));
    assertThat(d.outcome()).isEqualTo(Outcome.DEFER);
    assertThat(d.notBefore()).contains(Instant.parse("2026-01-05T23:00:00Z"));
    // a message's own zone comes before the default
    assertThat(limiter.decide(promo("bob")).isAllowed()).isTrue();
  }

  @Test
  void noZoneIsNeededWhenNoRuleReadsLocalTime() {
    FrequencyCapLimiter limiter =
        limiter(
            CapPolicy.builder().cap(Cap.perContact(1, Window.rolling(Duration.ofDays(1)))).build());

    assertThat(limiter.decide(withoutZone("ada")).isAllowed()).isTrue();
  }

  @Test
  void theDefaultZoneRoundTripsThroughJson() {
    CapPolicy p = CapPolicy.builder().defaultZone(TOKYO).build();

    assertThat(p.toJson()).contains("\"defaultZone\":\"Asia/Tokyo\"");
    assertThat(CapPolicy.fromJson(p.toJson())).isEqualTo(p);
    assertThat(CapPolicy.fromJson(p.toJson()).defaultZone()).contains(TOKYO);
    assertThatThrownBy(() -> CapPolicy.fromJson("{\"defaultZone\":\"Mars/Olympus\"}"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("defaultZone");
  }

  @Test
  void aDeferralNamesTheRuleThatSetItsInstantThoughItAllowedAtTheStart() {
    // Thursday 16:30 in Berlin a send; Friday 11:00 the cap of 1 per 36 hours frees the contact at
    // Saturday 04:30, outside the weekday window, so the window sets Monday 09:00 (08:00 UTC)
    FrequencyCapLimiter limiter =
        limiter(
            CapPolicy.builder()
                .cap(Cap.perContact(1, Window.rolling(Duration.ofHours(36))))
                .sendWindow(SendWindow.weekdays(LocalTime.of(9, 0), LocalTime.of(17, 0)))
                .build());
    Message m = promo("ada").toBuilder().recipientZone(BERLIN).build();
    assertThat(limiter.decide(m, Instant.parse("2026-01-08T15:30:00Z")).isAllowed()).isTrue();

    Decision d = limiter.decide(m, Instant.parse("2026-01-09T10:00:00Z"));

    Instant monday = Instant.parse("2026-01-12T08:00:00Z");
    assertThat(d.notBefore()).contains(monday);
    Reason window = reason(d, "send-window");
    assertThat(window.effect()).isEqualTo(Outcome.DEFER);
    assertThat(window.allowedFrom()).contains(monday);
    // the cap still says when it alone would allow
    assertThat(reason(d, "contact-1-per-PT36H").allowedFrom())
        .contains(Instant.parse("2026-01-10T03:30:00Z"));
    assertThat(d.reasons()).anySatisfy(r -> assertThat(r.allowedFrom()).contains(monday));
  }
}
