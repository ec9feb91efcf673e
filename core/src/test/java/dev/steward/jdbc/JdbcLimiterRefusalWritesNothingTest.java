package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.Window;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import dev.steward.testing.Messages;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On a database, a refusal is decided on an unlocked read and writes nothing: no transaction, no
 * row lock, no insert of a new contact's row and no delete of it again. Only an answer that may be
 * ALLOW takes the locked transaction.
 */
class JdbcLimiterRefusalWritesNothingTest {
  private static final Instant MON_10 = Instant.parse("2026-01-05T10:00:00Z");

  private static TestDatabase db(String which) {
    return which.equals("postgres")
        ? TestDatabase.postgres()
        : TestDatabase.h2(JdbcLimiterRefusalWritesNothingTest.class);
  }

  private static Message promo(String contact) {
    return Messages.promo(contact).recipientZone(ZoneOffset.UTC).build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "h2"})
  void aRefusalReadsOnceAndWritesNothing(String which) {
    StatementCountingDataSource ds = new StatementCountingDataSource(db(which).dataSource());
    SettableClock clock = SettableClock.of(MON_10);
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(JdbcCapLedgerStore.of(ds), clock)
            .policy(
                CapPolicy.builder()
                    .cap(Cap.perContact(1, Window.rolling(Duration.ofDays(7))))
                    .quietHours(LocalTime.of(21, 0), LocalTime.of(8, 0))
                    .build())
            .build();
    String run = UUID.randomUUID().toString().substring(0, 8);

    // an allowed decision takes the locked transaction
    assertThat(limiter.decide(promo("hot-" + run)).isAllowed()).isTrue();
    assertThat(ds.transactions.get()).isEqualTo(1);
    assertThat(ds.writesAndLocks()).isNotEmpty();

    // a contact at its cap: refused on the read alone
    ds.reset();
    Decision capped = limiter.decide(promo("hot-" + run));
    assertThat(capped.outcome()).isEqualTo(Outcome.DEFER);
    assertThat(ds.transactions.get()).isZero();
    assertThat(ds.writesAndLocks()).isEmpty();
    assertThat(ds.statements).hasSize(1);

    // a new contact in quiet hours: no row inserted (and none deleted again)
    clock.set(Instant.parse("2026-01-05T22:00:00Z"));
    ds.reset();
    Decision quiet = limiter.decide(promo("new-" + run));
    assertThat(quiet.outcome()).isEqualTo(Outcome.DEFER);
    assertThat(ds.transactions.get()).isZero();
    assertThat(ds.writesAndLocks()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "h2"})
  void aReleaseThatFindsNothingWritesNothingAndOneThatFindsItsSendRemovesIt(String which) {
    StatementCountingDataSource ds = new StatementCountingDataSource(db(which).dataSource());
    SettableClock clock = SettableClock.of(MON_10);
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(JdbcCapLedgerStore.of(ds), clock)
            .policy(
                CapPolicy.builder()
                    .cap(Cap.perContact(1, Window.rolling(Duration.ofDays(7))))
                    .build())
            .build();
    Message m = promo("release-" + UUID.randomUUID().toString().substring(0, 8));

    ds.reset();
    limiter.release(m, MON_10);
    assertThat(ds.transactions.get()).isZero();
    assertThat(ds.writesAndLocks()).isEmpty();

    assertThat(limiter.decide(m).isAllowed()).isTrue();
    assertThat(limiter.decide(m).isAllowed()).isFalse();
    limiter.release(m, MON_10);
    assertThat(limiter.decide(m).isAllowed()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "h2"})
  void theSameContactUnderTwoTenantsIsCountedApart(String which) {
    SettableClock clock = SettableClock.of(MON_10);
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(JdbcCapLedgerStore.of(db(which).dataSource()), clock)
            .policy(
                CapPolicy.builder()
                    .cap(Cap.perContact(1, Window.rolling(Duration.ofDays(7))))
                    .build())
            .build();
    String run = UUID.randomUUID().toString().substring(0, 8);
    Message one = promo("ada").toBuilder().tenant(TenantId.of("one-" + run)).build();
    Message two = promo("ada").toBuilder().tenant(TenantId.of("two-" + run)).build();

    assertThat(limiter.decide(one).isAllowed()).isTrue();
    assertThat(limiter.decide(one).isAllowed()).isFalse();
    assertThat(limiter.decide(two).isAllowed()).isTrue();
    assertThat(limiter.decide(two).isAllowed()).isFalse();
  }
}
