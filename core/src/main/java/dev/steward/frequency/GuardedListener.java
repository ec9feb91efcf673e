package dev.steward.frequency;

import dev.steward.delivery.Decision;
import dev.steward.model.Message;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * Runs the user's listener so that it cannot fail a call: by the time it runs the store was
 * written, and an exception out of {@code decide} would leave a reserved slot its caller never
 * releases.
 */
final class GuardedListener implements LimiterListener {
  private final LimiterListener delegate;
  private final Logger log;

  GuardedListener(LimiterListener delegate, Logger log) {
    this.delegate = delegate;
    this.log = log;
  }

  @Override
  public void onDecision(Message message, Decision decision, boolean reserved) {
    try {
      delegate.onDecision(message, decision, reserved);
    } catch (RuntimeException e) {
      failed("onDecision", message.id(), e);
    }
  }

  @Override
  public void onRelease(Message message, Instant decidedAt, boolean released) {
    try {
      delegate.onRelease(message, decidedAt, released);
    } catch (RuntimeException e) {
      failed("onRelease", message.id(), e);
    }
  }

  @Override
  public void onActivity(SubjectKey subject, String activity, Instant at) {
    try {
      delegate.onActivity(subject, activity, at);
    } catch (RuntimeException e) {
      failed("onActivity", subject, e);
    }
  }

  private void failed(String callback, Object about, RuntimeException e) {
    log.warn("limiter listener {} failed in {} for {}; ignored", delegate, callback, about, e);
  }
}
