package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.Decision;
import dev.steward.delivery.DispatchListener;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Hostile review (rb3): journey analytics told a group of dispatch results at once ({@link
 * DispatchListener#onResults}) whose store throws an Error for one of them: as told one by one (and
 * as the listener's default promises), every other result is still counted and the Error is thrown
 * at the end. Before the fix the Error left the results after it uncounted.
 */
class JourneyAnalyticsRb3ErrorTest {
  private static final TenantId T = TenantId.of("rb3");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final JourneyStepRef AT = new JourneyStepRef("welcome", 1, "s0");

  /** The in-memory store, whose record throws an AssertionError for one subject. */
  private static final class Breaking extends ForwardingJourneyAnalyticsStore {
    private final String subject;

    Breaking(JourneyAnalyticsStore in, String subject) {
      super(in);
      this.subject = subject;
    }

    @Override
    public boolean record(JourneyFact fact) {
      if (fact.subject().equals(subject) && fact.metric() == JourneyMetric.SENT) {
        throw new AssertionError("the store's own bug");
      }
      return in.record(fact);
    }

    @Override
    public void recordLater(JourneyFact fact) {
      record(fact);
    }
  }

  private static Message message(String id) {
    return Message.builder()
        .id(MessageId.of(id))
        .idempotencyKey("k-" + id)
        .tenant(T)
        .account(AccountId.of("a"))
        .contact(ContactId.of("c"))
        .to("c@example.com")
        .kind(MessageKind.EDUCATIONAL)
        .category("news")
        .source(Source.journey("csm", "welcome", "s0"))
        .createdAt(T0)
        .build();
  }

  @Test
  void anErrorForOneResultOfAGroupLeavesTheOthersCountedAndIsThrownAtTheEnd() {
    InMemoryJourneyAnalyticsStore in = InMemoryJourneyAnalyticsStore.of();
    List<DispatchResult> results = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = "j-e" + i + "-1";
      // deferred earlier: the group's SENT results are placed at its step and counted
      in.record(new JourneyFact(T, id, AT, JourneyMetric.DEFERRED, Optional.of("cap"), T0));
      results.add(new DispatchResult(message(id), DispatchStatus.SENT, Decision.allow(), null));
    }
    JourneyAnalytics analytics =
        JourneyAnalytics.builder(new Breaking(in, "j-e0-1"), SettableClock.of(T0)).build();

    assertThatThrownBy(() -> analytics.dispatchListener().onResults(results))
        .isInstanceOf(AssertionError.class);

    assertThat(in.stepOf(T, "j-e1-1")).contains(AT);
    assertThat(analytics.funnel(T, "welcome", 1).step("s0").orElseThrow().count(JourneyMetric.SENT))
        .as("the results after the one that threw")
        .isEqualTo(2);
  }
}
