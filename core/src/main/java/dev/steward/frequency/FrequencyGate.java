package dev.steward.frequency;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Gate;
import dev.steward.model.Message;
import java.time.Instant;
import java.util.List;

/**
 * The send pipeline's frequency gate: {@link #evaluate} decides through the limiter as of the
 * pipeline's {@code now} (reserving the slot on ALLOW), {@link #release} gives the slot back, and
 * {@link #confirmSent} takes it again for a released message that turned out to have gone out.
 */
public final class FrequencyGate implements Gate {
  private final FrequencyCapLimiter limiter;

  /** The gate over {@code limiter}. */
  public static FrequencyGate of(FrequencyCapLimiter limiter) {
    return new FrequencyGate(limiter);
  }

  private FrequencyGate(FrequencyCapLimiter limiter) {
    if (limiter == null) {
      throw new InvalidLimiterArgumentException("limiter must not be null");
    }
    this.limiter = limiter;
  }

  @Override
  public String name() {
    return DefaultFrequencyCapLimiter.GATE;
  }

  @Override
  public Decision evaluate(Message message, Instant now) {
    return limiter.decide(message, now);
  }

  /**
   * The decisions {@link #evaluate} gives each message one after the other, in one store update
   * over all their subjects when the limiter is the built-in one: the messages are decided in list
   * order within it, so a message sees the reservations of those before it, as sequential calls
   * would. Another limiter decides them one by one.
   */
  @Override
  public List<Decision> evaluateAll(List<Message> messages, Instant now) {
    if (messages == null) {
      throw new InvalidLimiterArgumentException("messages must not be null");
    }
    if (limiter instanceof DefaultFrequencyCapLimiter d) {
      return d.decideAll(messages, now);
    }
    return Gate.super.evaluateAll(messages, now);
  }

  /**
   * The message's account's send log, when the tenant's policy reads or writes account logs (a cap
   * per account): messages of other contacts of the account then depend on this one's reservation.
   * None otherwise. A limiter other than the built-in one is taken to count per account.
   */
  @Override
  public List<String> sharedState(Message message) {
    if (message == null) {
      throw new InvalidLimiterArgumentException("message must not be null");
    }
    if (limiter instanceof DefaultFrequencyCapLimiter d && !d.countsAccounts(message.tenant())) {
      return List.of();
    }
    return List.of("account " + message.tenant() + "/" + message.account());
  }

  @Override
  public void release(Message message, Instant decidedAt) {
    limiter.release(message, decidedAt);
  }

  /** Counts a send that went out after all (see {@link FrequencyCapLimiter#recordSent}). */
  @Override
  public void confirmSent(Message message, Instant sentAt) {
    limiter.recordSent(message, sentAt);
  }

  /** True: a capped message waits for a slot of the contact's budget, which others compete for. */
  @Override
  public boolean holdsSlots() {
    return true;
  }
}
