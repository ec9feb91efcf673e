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
  void aJourneyAdmissionStoredBeforeAdmitJourneyWasRemovedIsDroppedAndCountsForNothing() {
    String category = "restart-after-journeys";
    // written by the removed admitJourney (another instance, or before an upgrade): dropped on read
    store.rows.put("t1/c:c1", journeyRow(MON_10.getEpochSecond() - 60, "renewal-admitted-before"));
    FrequencyCapLimiter limiter =
        limiter(
            CapPolicy.builder()
                .cap(Cap.perContact(1, Window.day()).eachCategory())
                .maxConcurrentJourneys(1)
                .build());
    assertThat(store.read(List.of(SubjectKey.contact(TenantId.of("t1"), C1))).get(0).isEmpty())
        .isTrue();
    Message m = Messages.to("c1", MessageKind.PROMOTIONAL, category);

    // the admission is no send: the day's one message is free, and the second is deferred
    assertThat(limiter.decide(m).isAllowed()).isTrue();
    assertThat(limiter.decide(Messages.to("c1", MessageKind.PROMOTIONAL, category)).outcome())
        .isEqualTo(Outcome.DEFER);
    // the write of the allowed send stored the log without the admission
    assertThat(stored("t1/c:c1")).doesNotContain("renewal-admitted-before");
    assertThat(store.read(List.of(SubjectKey.contact(TenantId.of("t1"), C1))).get(0).entries())
        .extracting(LedgerEntry::type)
        .containsExactly(LedgerEntry.Type.SEND);
  }

  @Test
  void aLogWithAStoredAdmissionAndARecentSendKeepsTheSendAndLosesTheAdmissionOnItsNextWrite() {
    String category = "restart-admission-and-send";
    store.rows.put(
        "t1/c:c1",
        BytesCapLedgerStore.rows(
            journeyRow(MON_10.getEpochSecond() - 120, "renewal-admitted-with-a-send"),
            sendRow(MON_10.getEpochSecond() - 60, MessageKind.PROMOTIONAL, category, "marketing")));
    FrequencyCapLimiter limiter =
        limiter(CapPolicy.builder().cap(Cap.perContact(1, Window.day()).eachCategory()).build());

    // the recent send still counts: the day's one message of its category is taken
    Decision deferred = limiter.decide(Messages.to("c1", MessageKind.PROMOTIONAL, category));
    assertThat(deferred.outcome()).isEqualTo(Outcome.DEFER);
    // a refusal writes nothing: the admission is still in the stored bytes, read as nothing
    assertThat(stored("t1/c:c1")).contains("renewal-admitted-with-a-send");
    // the next write (an allowed send of another category) stores the log without it
    assertThat(limiter.decide(Messages.to("c1", MessageKind.PROMOTIONAL, "other")).isAllowed())
        .isTrue();
    assertThat(stored("t1/c:c1")).doesNotContain("renewal-admitted-with-a-send");
    assertThat(store.read(List.of(SubjectKey.contact(TenantId.of("t1"), C1))).get(0).entries())
        .extracting(LedgerEntry::label)
        .containsExactly(category, "other");
  }

  /** The stored bytes of a row, as text, to look for a journey id in them. */
  private String stored(String row) {
    return new String(store.rows.get(row), java.nio.charset.StandardCharsets.ISO_8859_1);
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
