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
class LimiterAcrossRestartsTest {
  private static final Instant MON_10 = Instant.parse("2026-01-05T10:00:00Z");
  private static final ContactId C1 = ContactId.of("c1");

  private final SettableClock clock = SettableClock.of(MON_10);
  private final BytesCapLedgerStore store = new BytesCapLedgerStore();

  private FrequencyCapLimiter limiter(CapPolicy policy) {
    return FrequencyCapLimiter.builder(store, clock).policy(policy).build();
  }

  @Test
  void aJourneyAdmissionStoredBeforeAdmitJourneyWasRemovedIsReadAndCountsForNothing() {
    String category = "restart-after-journeys";
    // written by the removed admitJourney (another instance, or before an upgrade): still read
    store.rows.put("t1/c:c1", journeyRow(MON_10.getEpochSecond() - 60, "renewal-admitted-before"));
    FrequencyCapLimiter limiter =
        limiter(
            CapPolicy.builder()
                .cap(Cap.perContact(1, Window.day()).eachCategory())
                .maxConcurrentJourneys(1)
                .build());
    assertThat(store.read(List.of(SubjectKey.contact(TenantId.of("t1"), C1))).get(0).entries())
        .extracting(LedgerEntry::type)
        .containsExactly(LedgerEntry.Type.JOURNEY);
    Message m = Messages.to("c1", MessageKind.PROMOTIONAL, category);

    // the admission is no send: the day's one message is free, and the second is deferred
    assertThat(limiter.decide(m).isAllowed()).isTrue();
    assertThat(limiter.decide(Messages.to("c1", MessageKind.PROMOTIONAL, category)).outcome())
        .isEqualTo(Outcome.DEFER);
    // a year on it still counts for nothing (it stays in the log: see CapLedgerRetentionTest)
    clock.set(MON_10.plus(java.time.Duration.ofDays(400)));
    assertThat(limiter.decide(Messages.to("c1", MessageKind.PROMOTIONAL, category)).isAllowed())
        .isTrue();
    assertThat(store.read(List.of(SubjectKey.contact(TenantId.of("t1"), C1))).get(0).entries())
        .extracting(LedgerEntry::type)
        .containsExactly(LedgerEntry.Type.JOURNEY, LedgerEntry.Type.SEND);
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
