package dev.steward.frequency;

import static dev.steward.frequency.Messages.promo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A listener that throws cannot fail the limiter: every callback runs after the store was written,
 * so an exception would hide a reservation from the caller that must release it.
 */
class ListenerFailureTest {
  private static final Instant MON_10 = Instant.parse("2026-01-05T10:00:00Z");
  private static final ContactId ANN = ContactId.of("ann");

  private final SettableClock clock = SettableClock.of(MON_10);
  private final InMemoryCapLedgerStore store = InMemoryCapLedgerStore.of();
  private final List<String> called = new ArrayList<>();

  private final LimiterListener throwing =
      new LimiterListener() {
        @Override
        public void onDecision(Message message, Decision decision, boolean reserved) {
          called.add("decision " + decision.outcome() + (reserved ? " reserved" : ""));
          throw new IllegalStateException("metrics backend down");
        }

        @Override
        public void onRelease(Message message, Instant decidedAt, boolean released) {
          called.add("release " + released);
          throw new IllegalStateException("metrics backend down");
        }

        @Override
        public void onActivity(SubjectKey subject, String activity, Instant at) {
          called.add("activity " + activity);
          throw new IllegalStateException("metrics backend down");
        }
      };

  private final FrequencyCapLimiter limiter =
      FrequencyCapLimiter.builder(store, clock)
          .policy(
              CapPolicy.builder()
                  .cap(Cap.perContact(1, Window.day()))
                  .coolDown(CoolDown.afterContactActivity("ticket", Duration.ofHours(1)))
                  .build())
          .listener(throwing)
          .build();

  @Test
  void aDecisionIsReturnedAndItsSlotStaysReservedUntilReleased() {
    Decision first = limiter.decide(promo("ann"));

    assertThat(first.isAllowed()).isTrue();
    assertThat(limiter.decide(promo("ann")).outcome()).isEqualTo(Outcome.DEFER);
    limiter.release(promo("ann"), MON_10);
    assertThat(limiter.decide(promo("ann")).isAllowed()).isTrue();
    assertThat(called)
        .containsExactly(
            "decision ALLOW reserved", "decision DEFER", "release true", "decision ALLOW reserved");
  }

  @Test
  void anExemptDecisionIsReturnedToo() {
    Decision d = limiter.decide(Messages.to("ann", MessageKind.TRANSACTIONAL, "receipts"));

    assertThat(d.isAllowed()).isTrue();
    assertThat(called).containsExactly("decision ALLOW");
  }

  @Test
  void activitiesAreRecordedDespiteTheListener() {
    limiter.recordActivity(TenantId.of("t1"), ANN, "ticket", MON_10);
    assertThat(limiter.decide(promo("ann")).outcome()).isEqualTo(Outcome.DEFER);

    assertThat(called).containsExactly("activity ticket", "decision DEFER");
  }
}
