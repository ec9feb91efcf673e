package dev.steward.ippool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Per-IP warm-up: limits by age, overflow to warm IPs, and a new warm-up after 30 idle days. */
class IpWarmupTest {
  private static final Instant NOW = Instant.parse("2026-05-10T14:20:00Z");
  private static final IpAddress A = IpAddress.of("192.0.2.1");
  private static final IpAddress B = IpAddress.of("192.0.2.2");
  private static final IpAddress C = IpAddress.of("192.0.2.3");

  private final IpWarmup hourly = IpWarmup.of(WarmupSchedule.sendGridAutomated());

  private static IpInfo ip(IpAddress a, Instant warmupStart, Instant lastSent) {
    return new IpInfo(
        a,
        Optional.of("o.mail.example.com"),
        true,
        Optional.ofNullable(warmupStart),
        Optional.ofNullable(lastSent));
  }

  @Test
  void aWarmingIpsHourlyLimitFollowsItsAgeInDays() {
    IpInfo day3 = ip(A, NOW.minus(Duration.ofDays(3)).minusSeconds(60), NOW.minusSeconds(30));
    IpInfo day41 = ip(A, NOW.minus(Duration.ofDays(41)), NOW.minusSeconds(30));
    IpInfo done = ip(A, NOW.minus(Duration.ofDays(42)), NOW.minusSeconds(30));

    assertThat(hourly.status(day3, NOW).state()).isEqualTo(IpWarmup.State.WARMING);
    assertThat(hourly.status(day3, NOW).day()).hasValue(3);
    assertThat(hourly.status(day3, NOW).limit()).hasValue(55);
    assertThat(hourly.status(day41, NOW).limit()).hasValue(19_601_056);
    assertThat(hourly.status(done, NOW).state()).isEqualTo(IpWarmup.State.WARM);
    assertThat(hourly.status(done, NOW).limit()).isEmpty();
  }

  @Test
  void volumeAboveAWarmingIpsLimitOverflowsToTheWarmIps() {
    IpInfo warming = ip(A, NOW.minus(Duration.ofDays(2)), NOW.minusSeconds(5)); // 39 an hour
    IpInfo warm1 = ip(B, null, NOW.minusSeconds(5));
    IpInfo warm2 = ip(C, null, NOW.minusSeconds(5));

    IpWarmup.Allocation a =
        hourly.allocate(List.of(warming, warm1, warm2), Map.of(A, 30L), 1_000, NOW);

    // the warming IP takes what is left of its 39 this hour; the warm ones share the rest
    assertThat(a.perIp()).containsExactly(Map.entry(A, 9L), Map.entry(B, 496L), Map.entry(C, 495L));
    assertThat(a.overflow()).isZero();
  }

  @Test
  void withoutAWarmIpTheExcessIsOverflowForAnotherPoolOrTheNextHour() {
    IpInfo warming = ip(A, NOW.minus(Duration.ofDays(0)), null); // day 0: 20 an hour
    IpInfo cold = ip(B, null, null); // never used: day 0 too

    IpWarmup.Allocation a = hourly.allocate(List.of(warming, cold), Map.of(), 100, NOW);

    assertThat(a.perIp()).containsExactly(Map.entry(A, 20L), Map.entry(B, 20L));
    assertThat(a.overflow()).isEqualTo(60);
  }

  @Test
  void thirtyIdleDaysMakeAWarmIpColdAgainUntilItsNewWarmupStarts() {
    IpInfo idle29 = ip(A, null, NOW.minus(Duration.ofDays(29)));
    IpInfo idle30 = ip(A, NOW.minus(Duration.ofDays(90)), NOW.minus(Duration.ofDays(30)));

    assertThat(hourly.needsWarmup(idle29, NOW)).isFalse();
    assertThat(hourly.needsWarmup(idle30, NOW)).isTrue();
    assertThat(hourly.status(idle30, NOW).limit()).hasValue(20);

    // the provider restarted its warm-up two days ago: it is warming, not cold
    IpInfo restarted = ip(A, NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(40)));
    assertThat(hourly.status(restarted, NOW).state()).isEqualTo(IpWarmup.State.WARMING);
    assertThat(hourly.status(restarted, NOW).limit()).hasValue(39);
  }

  @Test
  void aManualDailyScheduleLimitsPerDay() {
    IpWarmup daily = IpWarmup.of(WarmupSchedule.manualDaily());
    IpInfo day4 = ip(A, NOW.minus(Duration.ofDays(4)), NOW.minusSeconds(5));

    IpWarmup.Allocation a = daily.allocate(List.of(day4), Map.of(A, 4_000L), 3_000, NOW);

    assertThat(daily.schedule().period()).isEqualTo(dev.steward.governance.Granularity.DAY);
    assertThat(a.perIp()).containsExactly(Map.entry(A, 1_000L));
    assertThat(a.overflow()).isEqualTo(2_000);
  }

  @Test
  void anApplierStartsTheWarmupOfColdIpsOnceAndLeavesWarmOnesAlone() {
    dev.steward.testing.SettableClock clock = dev.steward.testing.SettableClock.of(NOW);
    dev.steward.testing.InMemoryIpPoolAdmin admin =
        dev.steward.testing.InMemoryIpPoolAdmin.of(clock);
    PoolPlanApplier applier =
        PoolPlanApplier.builder(admin, InMemoryPoolAssignmentStore.of(), clock).build();
    admin.registerIp(ip(A, null, NOW.minus(Duration.ofDays(31)))); // idle 31 days
    admin.registerIp(ip(B, null, NOW.minus(Duration.ofHours(1)))); // warm, in use
    admin.registerIp(ip(C, null, null)); // never used
    PoolName pool = PoolName.of("shared-standard");
    for (IpAddress a : List.of(A, B, C)) {
      applier.addIp(pool, a);
    }

    assertThat(applier.rewarmColdIps(hourly)).containsExactly(A, C);

    assertThat(admin.ip(A).orElseThrow().warmupStartedAt()).contains(NOW);
    assertThat(hourly.status(admin.ip(A).orElseThrow(), NOW.plus(Duration.ofDays(1))).limit())
        .hasValue(28);
    assertThat(admin.ip(B).orElseThrow().warmupStartedAt()).isEmpty();
    assertThat(applier.rewarmColdIps(hourly)).isEmpty();
  }
}
