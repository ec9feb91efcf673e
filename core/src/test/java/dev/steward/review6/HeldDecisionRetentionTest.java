package dev.steward.review6;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Decision;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.InMemoryCapLedgerStore;
import dev.steward.frequency.Window;
import dev.steward.model.Message;
import dev.steward.testing.SettableClock;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * c81415b keeps, in every decision whose reasons are not read yet, the whole {@code Evaluation}:
 * the message and both send logs it saw. A caller that holds decisions (a batch send that returns
 * them, a listener that queues them for an audit, a log appender that formats them later) now holds
 * a copy of the subjects' logs per decision: the logs grow with every send, so n held decisions
 * over one account retain O(n^2) bytes where the eager reasons retained O(n). And a held decision
 * keeps the message itself (recipient address, personalisation) reachable, which it never did.
 * Correct: the snapshot keeps the few numbers the explanation needs (per rule: the count and the
 * earliest instant, which evaluate() already computed), not the logs and message.
 */
class HeldDecisionRetentionTest {
  private static final Instant START = Instant.parse("2026-01-05T10:00:00Z");

  /**
   * DEFECT: 2,000 held decisions over one account (one send each, per-account cap of 10,000 a day)
   * retain about 16 * 2000^2 / 2 = 32 MB of send-log arrays: each kept its own version of the
   * account's log. Before c81415b they retained none (a Reason holds only a count). Expected: under
   * 1 MB in all.
   */
  @Test
  void heldDecisionsDoNotRetainTheSendLogsTheySaw() throws Exception {
    SettableClock clock = SettableClock.of(START);
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), clock)
            .policy(
                CapPolicy.builder()
                    .cap(Cap.perAccount(10_000, Window.rolling(Duration.ofDays(1))))
                    .build())
            .build();
    List<Decision> held = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      held.add(limiter.decide(Review6Messages.promo("c" + i, "big-account")));
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(held).allSatisfy(d -> assertThat(d.isAllowed()).isTrue());

    Retained r = retainedBy(held);
    assertThat(r.sendLogBytes)
        .as("bytes of long[] (packed send logs) reachable from 2000 held decisions")
        .isLessThan(1_000_000L);
  }

  /**
   * DEFECT: a held, unread decision keeps the Message it decided reachable (its address and
   * personalisation included). Expected: a Decision holds its outcome, instant and reasons only.
   */
  @Test
  void aHeldDecisionDoesNotKeepTheMessageReachable() throws Exception {
    SettableClock clock = SettableClock.of(START);
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), clock)
            .policy(
                CapPolicy.builder()
                    .cap(Cap.perContact(2, Window.rolling(Duration.ofDays(7))))
                    .build())
            .build();
    Message m = Review6Messages.promo("c1", "a1");
    Decision d = limiter.decide(m);

    Retained r = retainedBy(List.of(d));
    assertThat(r.messages).as("Message objects reachable from the decision").isEmpty();
  }

  /** What a walk over the steward objects reachable from the decisions' reasons finds. */
  private static final class Retained {
    long sendLogBytes;
    final List<Message> messages = new ArrayList<>();
  }

  /**
   * Walks from each decision's reasons list through the fields of steward classes and arrays (JDK
   * objects other than arrays are not entered: the walk is a lower bound), without reading the
   * reasons (which would compute them).
   */
  private static Retained retainedBy(List<Decision> decisions) throws IllegalAccessException {
    Retained out = new Retained();
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Object> todo = new ArrayDeque<>();
    for (Decision d : decisions) {
      todo.push(d.reasons());
    }
    while (!todo.isEmpty()) {
      Object o = todo.pop();
      if (!seen.add(o)) {
        continue;
      }
      Class<?> c = o.getClass();
      if (c == long[].class) {
        out.sendLogBytes += 8L * ((long[]) o).length;
        continue;
      }
      if (c.isArray()) {
        if (!c.getComponentType().isPrimitive()) {
          for (int i = 0; i < Array.getLength(o); i++) {
            Object e = Array.get(o, i);
            if (e != null) {
              todo.push(e);
            }
          }
        }
        continue;
      }
      if (o instanceof Message m) {
        out.messages.add(m);
      }
      if (!c.getName().startsWith("dev.steward.")) {
        continue;
      }
      for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
        if (!k.getName().startsWith("dev.steward.")) {
          continue;
        }
        for (Field f : k.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
            continue;
          }
          f.setAccessible(true);
          Object v = f.get(o);
          if (v != null) {
            todo.push(v);
          }
        }
      }
    }
    return out;
  }
}
