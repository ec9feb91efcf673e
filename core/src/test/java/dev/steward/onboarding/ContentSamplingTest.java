package dev.steward.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Decision;
import dev.steward.governance.GovernanceEvaluator;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Content sampling is decided from the message id: the rate over many ids is one in N within a few
 * standard deviations, the chosen ids show no period, and two gate instances sharing the stores
 * sample exactly the same messages (so two instances together sample one in N, not two in N), and a
 * retry of a sampled message is handed to the reviewer once.
 */
class ContentSamplingTest {
  private static final int IDS = 100_000;
  private static final TenantId ACME = TenantId.of("acme");

  private static int countChosen(IntFunction<MessageId> ids, int every) {
    int n = 0;
    for (int i = 0; i < IDS; i++) {
      if (ContentSampler.chosen(ids.apply(i), every)) {
        n++;
      }
    }
    return n;
  }

  /** Within 3.5 binomial standard deviations of IDS / every (about one in 2,000 to miss). */
  private static void assertRate(IntFunction<MessageId> ids, int every) {
    double p = 1.0 / every;
    double expected = IDS * p;
    double sd = Math.sqrt(IDS * p * (1 - p));
    assertThat((double) countChosen(ids, every))
        .as("one in %d of %d ids", every, IDS)
        .isBetween(expected - 3.5 * sd, expected + 3.5 * sd);
  }

  @Test
  void aboutOneIdInNIsChosenOverAHundredThousandIds() {
    IntFunction<MessageId> sequential = i -> MessageId.of("m-" + i);
    Random random = new Random(15);
    List<MessageId> uuids = new ArrayList<>();
    for (int i = 0; i < IDS; i++) {
      uuids.add(MessageId.of(new UUID(random.nextLong(), random.nextLong()).toString()));
    }
    for (int every : new int[] {2, 7, 100, TenantGate.DEFAULT_SAMPLE_EVERY, 1000}) {
      assertRate(sequential, every);
      assertRate(uuids::get, every);
    }
    assertThat(countChosen(sequential, 1)).isEqualTo(IDS);
    // the default rate, over sequential ids: 200 expected, standard deviation 14.1
    assertThat(countChosen(sequential, TenantGate.DEFAULT_SAMPLE_EVERY)).isBetween(165, 235);
  }

  @Test
  void theChosenSequentialIdsHaveNoPeriod() {
    // a hash that is not mixed (String.hashCode modulo N) picks every Nth of "m-0", "m-1", ...:
    // nearly every gap between two chosen ids would be the same
    int every = 100;
    List<Integer> chosen = new ArrayList<>();
    for (int i = 0; i < IDS; i++) {
      if (ContentSampler.chosen(MessageId.of("m-" + i), every)) {
        chosen.add(i);
      }
    }
    Set<Integer> gaps = new HashSet<>();
    for (int k = 1; k < chosen.size(); k++) {
      gaps.add(chosen.get(k) - chosen.get(k - 1));
    }
    assertThat(gaps).hasSizeGreaterThan(200);
    // and neighbouring bits matter: ids one character apart land apart
    assertThat(ContentSampler.hash(MessageId.of("m-1")) ^ ContentSampler.hash(MessageId.of("m-2")))
        .satisfies(x -> assertThat(Long.bitCount(x)).isBetween(16, 48));
  }

  @Test
  void theChoiceIsAFixedFunctionOfTheIdsUtf8Bytes() {
    // pinned, so that a change of the hash (which would sample other messages while old and new
    // versions run side by side, and sample some messages twice) fails here first
    assertThat(ContentSampler.hash(MessageId.of("m-1"))).isEqualTo(0xd6b12719e63329d0L);
    assertThat(ContentSampler.hash(MessageId.of("7f3c-\u00fc"))).isEqualTo(0xaf5c2f0a7e5f8415L);
  }

  private static final class Instance {
    final List<MessageId> sampled = new ArrayList<>();
    final TenantGate gate;

    Instance(PilotWorld w, int every) {
      GovernanceEvaluator gov =
          GovernanceEvaluator.builder(
                  InMemoryGovernanceMetricsStore.of(), InMemoryStandingStore.of(), w.clock)
              .build();
      gate =
          TenantGate.builder(w.machine, w.pilotStore)
              .governance(gov, InMemoryGovernanceMetricsStore.of())
              .senders(w.senders)
              .allowUnenrolled()
              .sampling((m, at) -> sampled.add(m.id()), every, t -> true)
              .build();
    }
  }

  @Test
  void twoGateInstancesSampleTheSameMessagesAndARetryIsHandedOverOnce() {
    PilotWorld w = new PilotWorld(g -> {});
    w.authenticate(ACME);
    Instance a = new Instance(w, 50);
    Instance b = new Instance(w, 50);
    Instant now = w.clock.instant();
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      messages.add(w.message(ACME));
    }
    // the same messages on each instance: the same choice
    for (Message m : messages) {
      assertThat(a.gate.evaluate(m, now).isAllowed()).isTrue();
      assertThat(b.gate.evaluate(m, now).isAllowed()).isTrue();
    }
    assertThat(a.sampled).isEqualTo(b.sampled).hasSizeBetween(70, 130);

    // spread over two fresh instances (a load balancer's choice): one in 50 together, each message
    // sampled by whichever instance dispatched it
    Instance c = new Instance(w, 50);
    Instance d = new Instance(w, 50);
    Random pick = new Random(7);
    for (Message m : messages) {
      (pick.nextBoolean() ? c : d).gate.evaluate(m, now);
    }
    List<MessageId> together = new ArrayList<>(c.sampled);
    together.addAll(d.sampled);
    assertThat(together).containsExactlyInAnyOrderElementsOf(a.sampled);
    assertThat(c.sampled).isNotEmpty();
    assertThat(d.sampled).isNotEmpty();

    // a retry of a sampled message on the same instance: allowed, reported, not handed over again
    Message again =
        messages.stream().filter(m -> m.id().equals(c.sampled.get(0))).findFirst().get();
    Decision retry = c.gate.evaluate(again, now.plusSeconds(60));
    assertThat(retry.isAllowed()).isTrue();
    assertThat(retry.reasons()).anyMatch(r -> r.rule().equals("content-sample"));
    assertThat(c.sampled).filteredOn(again.id()::equals).hasSize(1);
    // a message not sampled stays not sampled when retried
    Message notChosen =
        messages.stream().filter(m -> !a.sampled.contains(m.id())).findFirst().get();
    assertThat(c.gate.evaluate(notChosen, now).reasons())
        .noneMatch(r -> r.rule().equals("content-sample"));
  }
}
