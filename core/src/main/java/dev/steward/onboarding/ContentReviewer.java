package dev.steward.onboarding;

import dev.steward.model.Message;
import java.time.Instant;

/**
 * The hook that receives the messages the {@link TenantGate} samples for content review (every Nth
 * message of a tenant allowed to write its own content). A reviewer that rejects one calls {@link
 * TenantGate#contentRejected}, which records a content warning on the governance ladder. Called on
 * the sending thread: hand the message over (a queue, a task) and return; an exception is logged
 * and the message still goes.
 */
@FunctionalInterface
public interface ContentReviewer {

  /** {@code message} was sampled at {@code at}, as it is about to be sent. */
  void sampled(Message message, Instant at);
}
