package dev.steward.review8;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.GovernanceEvaluator;
import dev.steward.governance.GovernanceListener;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.governance.Level;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile review of how new events bring a tenant's evaluation forward. */
class EvaluationSchedulingReview8Test {
  private static final TenantId T = TenantId.of("acme");
  private int seq;

  private List<EmailEvent> mail(int delivered, int spam, Instant at) {
    List<EmailEvent> out = new ArrayList<>();
    for (int i = 0; i < delivered; i++) {
      String a = "r" + i + "@example.com";
      out.add(
          EmailEvent.builder("p" + (++seq), EmailEventType.PROCESSED, at)
              .tenant(T)
              .email(a)
              .build());
      out.add(
          EmailEvent.builder("d" + (++seq), EmailEventType.DELIVERED, at)
              .tenant(T)
              .email(a)
              .build());
    }
    for (int i = 0; i < spam; i++) {
      out.add(
          EmailEvent.builder("s" + (++seq), EmailEventType.SPAM_REPORT, at)
              .tenant(T)
              .email("r" + i + "@example.com")
              .build());
    }
    return out;
  }

  /**
   * DEFECT: GovernanceEvaluator#schedule promises that new events make the tenant's evaluation
   * happen "now" ("how the GovernanceListener makes new events count soon"), but it stores the item
   * with IfExists.KEEP, and every tenant with mail in its windows always has its periodic
   * re-evaluation pending, up to one period ahead. So a spam burst from an active tenant is not
   * judged until that period ends (one hour by default; here, with every(1 day), a whole day of
   * sending at a 5% complaint rate). Correct: a pending evaluation later than now is brought
   * forward to now (keep the earlier due time).
   */
  @Test
  void aSpamBurstFromAnActiveTenantIsJudgedSoonNotAtTheNextPeriodicEvaluation() {
    SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T08:00:00Z"));
    InMemoryGovernanceMetricsStore metrics = InMemoryGovernanceMetricsStore.of();
    GovernanceEvaluator ev =
        GovernanceEvaluator.builder(metrics, InMemoryStandingStore.of(), clock)
            .every(Duration.ofDays(1))
            .build();
    InMemoryWorkStore work = InMemoryWorkStore.of(clock);
    ManualWorkDriver driver =
        ManualWorkDriver.of(ev.register(WorkRunner.builder(work, clock)).build(), clock);
    GovernanceListener listener =
        GovernanceListener.builder(metrics).evaluateWith(ev, work).build();

    listener.onEvents(mail(1000, 0, clock.instant()));
    driver.runDue();
    assertThat(ev.standing(T).level()).isEqualTo(Level.NONE);

    clock.advance(Duration.ofMinutes(30));
    listener.onEvents(mail(1000, 100, clock.instant()));
    clock.advance(Duration.ofMinutes(30));
    driver.runDue();

    assertThat(ev.standing(T).level())
        .as("an hour after a 5% complaint burst")
        .isEqualTo(Level.SUSPEND);
  }
}
