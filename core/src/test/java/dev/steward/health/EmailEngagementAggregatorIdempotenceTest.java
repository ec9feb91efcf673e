package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A batch applied twice, or a part then the whole, gives the same measures as applying it once, at
 * every point in time, including events old enough to have been dropped by the retention.
 */
class EmailEngagementAggregatorIdempotenceTest {
  static final Instant T0 = Instant.parse("2026-02-01T00:00:00Z");
  static final Duration WINDOW = Duration.ofDays(10);
  static final AccountId ACME = AccountId.of("acme");
  static final TenantId T1 = TenantId.of("t1");

  static EmailEvent ev(String id, EmailEventType type, String message, Instant at) {
    return EmailEvent.of(
        id, type, at, null, MessageId.of(message), T1, ACME, ContactId.of("ann"), null, Map.of());
  }

  static final List<EmailEvent> BATCH =
      List.of(
          ev("e1", EmailEventType.DELIVERED, "m1", T0),
          ev("e2", EmailEventType.OPEN, "m1", T0.plusSeconds(60)),
          ev("e3", EmailEventType.CLICK, "m1", T0.plusSeconds(90)),
          ev("e4", EmailEventType.UNSUBSCRIBE, "m1", T0.plusSeconds(120)),
          // a month later: the retention (two windows) drops the events above
          ev("e5", EmailEventType.DELIVERED, "m2", T0.plus(Duration.ofDays(31))),
          ev("e6", EmailEventType.SPAM_REPORT, "m2", T0.plus(Duration.ofDays(31))));

  static Map<Instant, Map<String, Observation>> state(EmailEngagementAggregator agg) {
    Map<Instant, Map<String, Observation>> out = new LinkedHashMap<>();
    for (int day = 0; day <= 45; day++) {
      Instant asOf = T0.plus(Duration.ofDays(day)).plusSeconds(3600);
      out.put(asOf, agg.observations(T1, ACME, asOf));
    }
    return out;
  }

  static EmailEngagementAggregator apply(List<List<EmailEvent>> runs) {
    EmailEngagementAggregator agg =
        EmailEngagementAggregator.builder(InMemoryEngagementStore.of()).window(WINDOW).build();
    runs.forEach(agg::onEvents);
    return agg;
  }

  @Test
  void applyingABatchTwiceEqualsApplyingItOnce() {
    Map<Instant, Map<String, Observation>> once = state(apply(List.of(BATCH)));

    assertThat(state(apply(List.of(BATCH, BATCH)))).isEqualTo(once);
  }

  @Test
  void applyingAPartThenTheWholeEqualsApplyingItOnce() {
    Map<Instant, Map<String, Observation>> once = state(apply(List.of(BATCH)));
    for (int cut = 1; cut < BATCH.size(); cut++) {
      List<List<EmailEvent>> runs = new ArrayList<>();
      runs.add(BATCH.subList(0, cut));
      runs.add(BATCH);
      BATCH.forEach(e -> runs.add(List.of(e)));

      assertThat(state(apply(runs))).as("cut after %d events", cut).isEqualTo(once);
    }
  }
}
