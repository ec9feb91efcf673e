package dev.steward.onboarding;

import static dev.steward.onboarding.GateSupport.reason;

import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TenantGate}'s content sampling: one allowed message in N of a tenant allowed free-form
 * content goes to the {@link ContentReviewer}.
 */
final class ContentSampler {
  private static final Logger log = LoggerFactory.getLogger(TenantGate.class);

  private final Optional<ContentReviewer> reviewer;
  private final int every;
  private final Predicate<TenantId> freeForm;
  private final Map<TenantId, AtomicLong> sampled = new ConcurrentHashMap<>();

  ContentSampler(Optional<ContentReviewer> reviewer, int every, Predicate<TenantId> freeForm) {
    this.reviewer = reviewer;
    this.every = every;
    this.freeForm = freeForm;
  }

  /** Hands {@code message} to the reviewer if it is sampled, and says so in {@code reasons}. */
  void sample(Message message, Instant now, List<Reason> reasons) {
    if (reviewer.isEmpty()) {
      return;
    }
    boolean free;
    try {
      free = freeForm.test(message.tenant());
    } catch (RuntimeException e) {
      log.warn(
          "free-form predicate failed on tenant {}; message {} not sampled, it goes on",
          message.tenant(),
          message.id(),
          e);
      return;
    }
    if (!free) {
      return;
    }
    long n = sampled.computeIfAbsent(message.tenant(), t -> new AtomicLong()).incrementAndGet();
    if (n % every != 0) {
      return;
    }
    reasons.add(
        reason(
            "content-sample",
            Outcome.ALLOW,
            "sampled for content review (one message in " + every + ")"));
    try {
      reviewer.get().sampled(message, now);
    } catch (RuntimeException e) {
      log.warn("content reviewer failed on message {}; the message goes on", message.id(), e);
    }
  }
}
