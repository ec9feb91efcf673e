package dev.steward.frequency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.Decision;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Idle send logs leave the store once no rule can read them; what a rule still reads stays. */
class CapLedgerRetentionTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final Duration DAY = Duration.ofDays(1);

  private static CapPolicy policy() {
    return CapPolicy.builder()
        .cap(Cap.perContact(3, Window.rolling(Duration.ofDays(7))))
        .coolDown(CoolDown.afterContactActivity("ticket-closed", Duration.ofDays(14)))
        .build();
  }

  @Test
  void fiftyThousandOneOffContactsArePurgedOnceTheirLongestWindowHasPassed() {
    SettableClock clock = SettableClock.of(T0);
    InMemoryCapLedgerStore store = InMemoryCapLedgerStore.of();
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(store, clock).policy(policy()).build();
    CapLedgerRetention retention =
        CapLedgerRetention.builder(store, clock).limiter(limiter).build();
    WorkStore work = InMemoryWorkStore.of(clock);
    ManualWorkDriver driver =
        ManualWorkDriver.of(retention.register(WorkRunner.builder(work, clock)).build(), clock);

    for (int i = 0; i < 50_000; i++) {
      assertThat(limiter.decide(Messages.promo("one-off-" + i)).isAllowed()).isTrue();
    }
    // a contact whose cool-down (14 days) outlasts the last send's cap window (7 days)
    assertThat(limiter.decide(Messages.promo("cooling")).isAllowed()).isTrue();
    limiter.recordActivity(
        TenantId.of("t1"), ContactId.of("cooling"), "ticket-closed", T0.plus(Duration.ofDays(5)));
    assertThat(store.subjectCount()).isEqualTo(50_001);
    assertThat(retention.retention()).isEqualTo(Duration.ofDays(15)); // cool-down + a day's grace

    driver.runDue(); // the first run, at registration: nothing is idle yet
    driver.advanceTo(T0.plus(Duration.ofDays(10)));
    // a contact still inside its cap window when the others go
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.decide(Messages.promo("regular")).isAllowed()).isTrue();
    }

    // fifteen days on, the one-off sends are exactly at the cutoff: not yet idle before it
    driver.advanceTo(T0.plus(Duration.ofDays(15)));
    assertThat(store.subjectCount()).isEqualTo(50_002);
    // the next daily run purges them
    driver.advance(DAY);
    assertThat(store.subjectCount()).isEqualTo(2);

    // what stayed is what the rules still read: the cool-down still defers, the cap still counts
    Decision cooling = limiter.decide(Messages.promo("cooling"));
    assertThat(cooling.isAllowed()).isFalse();
    assertThat(cooling.notBefore().orElseThrow()).isEqualTo(T0.plus(Duration.ofDays(19)));
    Decision regular = limiter.decide(Messages.promo("regular"));
    assertThat(regular.isAllowed()).isFalse();
    assertThat(regular.notBefore().orElseThrow()).isEqualTo(T0.plus(Duration.ofDays(17)));
    assertThat(limiter.decide(Messages.promo("one-off-7")).isAllowed()).isTrue();
  }

  @Test
  void theRetentionFollowsTheLongestRuleOfEveryLimiterOfTheStore() {
    SettableClock clock = SettableClock.of(T0);
    InMemoryCapLedgerStore store = InMemoryCapLedgerStore.of();
    FrequencyCapLimiter weekly =
        FrequencyCapLimiter.builder(store, clock)
            .policy(
                CapPolicy.builder()
                    .cap(Cap.perContact(1, Window.rolling(Duration.ofDays(7))))
                    .build())
            .build();
    FrequencyCapLimiter monthly =
        FrequencyCapLimiter.builder(store, clock)
            .policy(
                CapPolicy.builder()
                    .cap(Cap.perContact(4, Window.calendar(CalendarPeriod.MONTH)))
                    .build())
            .build();

    assertThat(weekly.lookback()).isEqualTo(Duration.ofDays(7));
    // a calendar month reaches back its longest length, with room for zones and clock changes
    assertThat(monthly.lookback()).isGreaterThanOrEqualTo(Duration.ofDays(31));
    assertThat(
            CapLedgerRetention.builder(store, clock)
                .limiter(weekly)
                .limiter(monthly)
                .grace(Duration.ZERO)
                .build()
                .retention())
        .isEqualTo(monthly.lookback());
    assertThat(
            CapLedgerRetention.builder(store, clock)
                .limiter(weekly)
                .keepAtLeast(Duration.ofDays(90))
                .build()
                .retention())
        .isEqualTo(Duration.ofDays(91));
  }

  @Test
  void aRetentionThatKnowsNoRuleIsRefused() {
    SettableClock clock = SettableClock.of(T0);
    InMemoryCapLedgerStore store = InMemoryCapLedgerStore.of();

    assertThatThrownBy(() -> CapLedgerRetention.builder(store, clock).build())
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("limiter");
    assertThatThrownBy(() -> CapLedgerRetention.builder(store, clock).grace(Duration.ofDays(-1)))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("grace");
    assertThat(List.of(CapLedgerRetention.KIND)).allMatch(k -> k.startsWith("steward.retention."));
  }
}
