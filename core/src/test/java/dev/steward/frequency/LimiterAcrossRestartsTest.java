package dev.steward.frequency;

import static dev.steward.frequency.BytesCapLedgerStore.journeyRow;
import static dev.steward.frequency.BytesCapLedgerStore.sendRow;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.consent.Frequency;
import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An instance that did not write a log (another instance on a shared database, or this one before a
 * restart) decides from it exactly as the writer would. Each test uses names no other test uses, so
 * that this JVM has never seen them: that is the situation under test.
 */
// the limiter's deprecated journey admission is tested here until it goes
@SuppressWarnings("removal")
class LimiterAcrossRestartsTest {
  private static final Instant MON_10 = Instant.parse("2026-01-05T10:00:00Z");
  private static final ContactId C1 = ContactId.of("c1");

  private final SettableClock clock = SettableClock.of(MON_10);
  private final BytesCapLedgerStore store = new BytesCapLedgerStore();

  private FrequencyCapLimiter limiter(CapPolicy policy) {
    return FrequencyCapLimiter.builder(store, clock).policy(policy).build();
  }

  @Test
  void leavingAJourneyAdmittedElsewhereFreesTheSlot() {
    String journey = "renewal-admitted-elsewhere";
    store.rows.put("t1/c:c1", journeyRow(MON_10.getEpochSecond() - 60, journey));
    FrequencyCapLimiter limiter = limiter(CapPolicy.builder().maxConcurrentJourneys(1).build());

    assertThat(limiter.admitJourney(TenantId.of("t1"), C1, "onboarding-restart", MON_10).outcome())
        .isEqualTo(Outcome.SUPPRESS);
    assertThat(limiter.leaveJourney(TenantId.of("t1"), C1, journey))
        .as("leave on a fresh instance")
        .isTrue();
    assertThat(limiter.leaveJourney(TenantId.of("t1"), C1, journey))
        .as("a second leave finds nothing")
        .isFalse();
    assertThat(
            limiter.admitJourney(TenantId.of("t1"), C1, "onboarding-restart", MON_10).isAllowed())
        .isTrue();
  }

  @Test
  void admittingAJourneyHeldElsewhereIsRecognisedAndWritesNothing() {
    String journey = "upsell-admitted-elsewhere";
    byte[] row = journeyRow(MON_10.getEpochSecond() - 60, journey);
    store.rows.put("t1/c:c1", row);
    FrequencyCapLimiter limiter = limiter(CapPolicy.builder().maxConcurrentJourneys(1).build());

    Decision again = limiter.admitJourney(TenantId.of("t1"), C1, journey, MON_10);

    assertThat(again.isAllowed()).isTrue();
    assertThat(again.reasons().get(0).detail()).contains("already in journey");
    assertThat(store.rows.get("t1/c:c1")).isSameAs(row);
  }

  @Test
  void journeyIdsAreKeptAsStringsAndNeverInterned() {
    FrequencyCapLimiter limiter = limiter(CapPolicy.builder().maxConcurrentJourneys(3).build());
    for (int i = 0; i < 50; i++) {
      String journey = "never-interned-journey-" + i;
      assertThat(
              limiter
                  .admitJourney(TenantId.of("t1"), C1, journey, MON_10.plusSeconds(i))
                  .isAllowed())
          .isTrue();
      assertThat(store.read(List.of(SubjectKey.contact(TenantId.of("t1"), C1))).get(0).entries())
          .extracting(LedgerEntry::label)
          .contains(journey);
      assertThat(limiter.leaveJourney(TenantId.of("t1"), C1, journey)).isTrue();
      assertThat(((DefaultFrequencyCapLimiter) limiter).vocabulary().labels.existingId(journey))
          .as(journey)
          .isEqualTo(-1);
    }
    assertThat(store.read(List.of(SubjectKey.contact(TenantId.of("t1"), C1))).get(0).isEmpty())
        .isTrue();
  }

  @Test
  void whatIfCountsACategoryOnlyAnotherInstanceHasSent() {
    String category = "restart-only-category";
    store.rows.put(
        "t1/c:c1",
        sendRow(MON_10.getEpochSecond() - 60, MessageKind.PROMOTIONAL, category, "marketing"));
    FrequencyCapLimiter limiter =
        limiter(CapPolicy.builder().cap(Cap.perContact(1, Window.day()).eachCategory()).build());
    Message m = Messages.to("c1", MessageKind.PROMOTIONAL, category);

    Decision whatIf = limiter.whatIf(m);
    Decision decided = limiter.decide(m);

    assertThat(whatIf.outcome()).isEqualTo(Outcome.DEFER);
    assertThat(whatIf).isEqualTo(decided);
  }

  @Test
  void whatIfAppliesAContactPreferenceForACategoryOnlyAnotherInstanceHasSent() {
    String category = "restart-only-preference";
    store.rows.put(
        "t1/c:c1",
        sendRow(MON_10.getEpochSecond() - 60, MessageKind.PROMOTIONAL, category, "marketing"));
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(store, clock)
            .preferences((tenant, contact) -> Map.of(category, Frequency.WEEKLY))
            .build();
    Message m = Messages.to("c1", MessageKind.PROMOTIONAL, category);

    Decision whatIf = limiter.whatIf(m);

    assertThat(whatIf.outcome()).isEqualTo(Outcome.DEFER);
    assertThat(whatIf).isEqualTo(limiter.decide(m));
  }
}
