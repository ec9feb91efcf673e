package dev.steward.review3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.StewardMetrics;
import dev.steward.consent.Frequency;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Hostile review of {@link StewardMetrics} against its own Javadoc. */
class Review3MetricsTest {
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T12:00:00Z"));

  /**
   * The class Javadoc promises that "tag values are the closed sets the library defines ... never
   * ids or addresses, so the number of series stays small". But {@code RULE_REASONS} is tagged with
   * {@code Reason.rule()}, and the frequency gate names a contact-chosen frequency's rule {@code
   * "preference-<frequency>-<category>"}: the message's free-form category ends up in a tag. An ISV
   * whose tenants name their own categories (one per campaign, per newsletter) gets one series per
   * category, without bound, in every metrics backend it publishes to.
   */
  @Test
  void ruleTagsCarryFreeFormCategoriesSoSeriesGrowWithoutBound() {
    Steward steward = Steward.builder(clock).transport(RecordingTransport.of()).build();
    ContactId ada = ContactId.of("ada");
    for (int i = 0; i < 50; i++) {
      String category = "campaign-2026-03-" + i;
      steward.preferences().chooseFrequency(TenantId.of("alpha"), ada, category, Frequency.WEEKLY);
      steward.dispatch(
          Message.builder()
              .tenant(TenantId.of("alpha"))
              .account(AccountId.of("acct"))
              .contact(ada)
              .to("ada@alpha.example")
              .recipientZone(ZoneOffset.UTC)
              .kind(MessageKind.PROMOTIONAL)
              .category(category)
              .source(Source.MARKETING)
              .createdAt(clock.instant())
              .build());
    }

    long series =
        steward.metrics().snapshot().stream()
            .filter(m -> m.name().equals(StewardMetrics.RULE_REASONS))
            .count();
    assertThat(series)
        .as("series of %s after 50 messages in 50 categories", StewardMetrics.RULE_REASONS)
        .isLessThan(20);
  }

  /**
   * StewardMetrics' Javadoc says it "reads gauges (due work, dead work, unsettled sends) on
   * demand", and Steward is the one that registers the gauges; it registers two, ready and dead
   * work. Sends whose outcome is unknown (SENDING or UNKNOWN: possibly sent, never resent, waiting
   * for a provider event) are the signal an operator most needs, and no metric shows them.
   */
  @Test
  void theUnsettledSendsGaugeTheJavadocPromisesIsNotThere() {
    Steward steward =
        Steward.builder(clock)
            .transport(
                RecordingTransport.of()
                    .respondWith(m -> dev.steward.delivery.SendResult.unknown("read time-out")))
            .build();
    steward.dispatch(
        Message.builder()
            .tenant(TenantId.of("alpha"))
            .account(AccountId.of("acct"))
            .contact(ContactId.of("ada"))
            .to("ada@alpha.example")
            .recipientZone(ZoneOffset.UTC)
            .kind(MessageKind.TRANSACTIONAL)
            .category("receipts")
            .source(Source.BILLING)
            .createdAt(clock.instant())
            .build());

    assertThat(steward.metrics().snapshot())
        .as("a gauge of unsettled sends, with the one UNKNOWN send in it")
        .anySatisfy(
            m -> {
              assertThat(m.name()).contains("unsettled");
              assertThat(m.value()).isEqualTo(1);
            });
  }

  /**
   * One gauge that cannot be read takes every metric with it: {@code snapshot()} reads the gauges
   * inline and lets their exception out, so while the database is unreachable (Steward's gauges
   * count work items in it) a metrics binding that publishes the snapshot gets nothing, not even
   * the counters held in memory, at the very moment operators need to see failures pile up.
   */
  @Test
  void anUnreadableGaugeHidesEveryCounterFromTheSnapshot() {
    org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
    h2.setURL("jdbc:h2:mem:review3-metrics;DB_CLOSE_DELAY=-1");
    dev.steward.jdbc.StewardSchema.bootstrap(h2);
    Review3JdbcStoresTest.DroppingDataSource ds = new Review3JdbcStoresTest.DroppingDataSource(h2);
    Steward steward =
        Steward.builder(clock)
            .stores(dev.steward.jdbc.JdbcStores.of(ds, dev.steward.jdbc.JdbcRetryPolicy.none()))
            .transport(RecordingTransport.of())
            .build();
    steward.dispatch(
        Message.builder()
            .tenant(TenantId.of("alpha"))
            .account(AccountId.of("acct"))
            .contact(ContactId.of("ada"))
            .to("ada@alpha.example")
            .recipientZone(ZoneOffset.UTC)
            .kind(MessageKind.TRANSACTIONAL)
            .category("receipts")
            .source(Source.BILLING)
            .createdAt(clock.instant())
            .build());

    ds.failNext(1_000); // the database is unreachable for a while

    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> steward.metrics().snapshot()))
        .as("the snapshot still answers, with the counters it holds")
        .isNull();
  }
}
