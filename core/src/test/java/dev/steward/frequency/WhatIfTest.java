package dev.steward.frequency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@code whatIf} gives {@code decide}'s answer for categories this JVM has never seen, whatever was
 * asked before (the rule sets are cached by interned ids). Each test uses category names no other
 * test uses, so that they are unseen when the test starts.
 */
class WhatIfTest {
  private static final Instant MON_10 = Instant.parse("2026-01-05T10:00:00Z");
  private final SettableClock clock = SettableClock.of(MON_10);

  private FrequencyCapLimiter coolingAfterATicket(String cooledCategory) {
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), clock)
            .policy(
                CapPolicy.builder()
                    .coolDown(
                        CoolDown.afterContactActivity("ticket", Duration.ofHours(48))
                            .onlyCategories(cooledCategory))
                    .build())
            .build();
    limiter.recordActivity(
        TenantId.of("t1"), ContactId.of("c1"), "ticket", MON_10.minusSeconds(60));
    return limiter;
  }

  private static Message to(String category) {
    return Messages.to("c1", MessageKind.PROMOTIONAL, category);
  }

  @Test
  void anUnseenCategoryAskedFirstDoesNotDecideTheCoolDownsOfAnother() {
    FrequencyCapLimiter limiter = coolingAfterATicket("cooled-asked-second");

    Decision other = limiter.whatIf(to("unseen-asked-first"));
    Decision cooled = limiter.whatIf(to("cooled-asked-second"));

    assertThat(other.isAllowed()).isTrue();
    assertThat(cooled.outcome()).isEqualTo(Outcome.DEFER);
    assertThat(cooled.notBefore().orElseThrow())
        .isEqualTo(MON_10.minusSeconds(60).plus(Duration.ofHours(48)));
  }

  @Test
  void aCooledCategoryAskedFirstDoesNotCoolAnUnseenOne() {
    FrequencyCapLimiter limiter = coolingAfterATicket("cooled-asked-first");

    assertThat(limiter.whatIf(to("cooled-asked-first")).outcome()).isEqualTo(Outcome.DEFER);
    assertThat(limiter.whatIf(to("unseen-asked-second")).isAllowed()).isTrue();
    assertThat(limiter.decide(to("unseen-asked-second")).isAllowed()).isTrue();
  }

  @Test
  void aCooledCategoryDefersOnDecide() {
    FrequencyCapLimiter limiter = coolingAfterATicket("cooled-on-decide");

    assertThat(limiter.decide(to("cooled-on-decide")).outcome()).isEqualTo(Outcome.DEFER);
  }

  @Test
  void whatIfGivesNoIdToACategoryItIsAskedAbout() {
    FrequencyCapLimiter limiter = coolingAfterATicket("cooled-not-asked");

    assertThat(limiter.whatIf(to("asked-only-by-what-if")).isAllowed()).isTrue();

    assertThat(
            ((DefaultFrequencyCapLimiter) limiter)
                .vocabulary()
                .labels
                .existingId("asked-only-by-what-if"))
        .isEqualTo(-1);
  }
}
