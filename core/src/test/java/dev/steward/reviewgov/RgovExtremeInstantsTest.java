package dev.steward.reviewgov;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.GovernanceListener;
import dev.steward.governance.GovernanceMetricsStore;
import dev.steward.governance.Granularity;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.MetricCounts;
import dev.steward.governance.MetricsKey;
import dev.steward.governance.RecipientActivity;
import dev.steward.jdbc.JdbcGovernanceMetricsStore;
import dev.steward.jdbc.TestDatabases;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Events at the storable extremes (1677 and 2262, nanos 999,999,999, negative epoch seconds)
 * through the listener on the in-memory store (per-event read) and on H2 (batched read): the same
 * activity, the same inactive sends, and the boundary of the period to the nanosecond.
 */
class RgovExtremeInstantsTest {
  private static final TestDatabases DB = TestDatabases.h2(RgovExtremeInstantsTest.class);
  private static final Duration PERIOD = Duration.ofDays(1);

  @Test
  void bothStoresAgreeAtTheExtremes() {
    DB.clear();
    InMemoryGovernanceMetricsStore memory = InMemoryGovernanceMetricsStore.of();
    GovernanceMetricsStore jdbc = JdbcGovernanceMetricsStore.of(DB.dataSource());
    Instant min = StoreLimits.MIN_INSTANT;
    Instant max = StoreLimits.MAX_INSTANT;
    Instant negative = Instant.ofEpochSecond(-86_400 * 3, 999_999_999);
    List<List<EmailEvent>> batches =
        List.of(
            List.of(ev("1", "lo@x.example", min), ev("2", "hi@x.example", max.minus(PERIOD))),
            // exactly one period after the first send: inactive (first sent at or before since)
            List.of(ev("3", "lo@x.example", min.plus(PERIOD)), ev("4", "hi@x.example", max)),
            // one nanosecond short of a period after the first send: not inactive
            List.of(
                ev("5", "neg@x.example", negative),
                ev("6", "neg@x.example", negative.plus(PERIOD).minusNanos(1))),
            List.of(ev("7", "neg@x.example", negative.plus(PERIOD).minusNanos(1))),
            List.of(ev("8", "neg@x.example", negative.plus(PERIOD))));
    for (GovernanceMetricsStore s : new GovernanceMetricsStore[] {memory, jdbc}) {
      GovernanceListener l = GovernanceListener.builder(s).inactiveAfter(PERIOD).build();
      batches.forEach(l::onEvents);
    }
    List<EmailAddress> all =
        List.of(
            EmailAddress.of("lo@x.example"),
            EmailAddress.of("hi@x.example"),
            EmailAddress.of("neg@x.example"));
    for (EmailAddress a : all) {
      TenantId t = tenant(a.value());
      Map<EmailAddress, RecipientActivity> m = memory.activity(t, all);
      assertThat(m).isEqualTo(jdbc.activity(t, all)).hasSize(1);
    }
    assertThat(memory.activity(tenant("hi@x"), all).get(all.get(1)).firstSent())
        .isEqualTo(max.minus(PERIOD));
    long[] expected = {1, 1, 1}; // 3 (lo), 4 (hi), 8 (neg); not 6 nor 7
    Instant[] days = {min.plus(PERIOD), max, negative.plus(PERIOD)};
    String[] who = {"lo@x", "hi@x", "neg@x"};
    for (int i = 0; i < days.length; i++) {
      Instant from = Granularity.DAY.start(days[i]);
      Instant to = from.plus(Duration.ofDays(1)).isAfter(max) ? max : from.plus(Duration.ofDays(1));
      MetricCounts a = memory.counts(MetricsKey.of(tenant(who[i])), Granularity.DAY, from, to);
      MetricCounts b = jdbc.counts(MetricsKey.of(tenant(who[i])), Granularity.DAY, from, to);
      assertThat(a).as("day of %s", days[i]).isEqualTo(b);
      assertThat(a.sentToInactive()).as("day of %s", days[i]).isEqualTo(expected[i]);
    }
  }

  /** A tenant per recipient: the in-memory ring of days would not hold 1677 beside 2262. */
  private static TenantId tenant(String address) {
    return TenantId.of(address.substring(0, address.indexOf('@')));
  }

  private static EmailEvent ev(String id, String to, Instant at) {
    return EmailEvent.builder(id, EmailEventType.PROCESSED, at)
        .tenant(tenant(to))
        .email(to)
        .build();
  }
}
