package dev.steward.delivery;

import dev.steward.model.Message;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one dispatch of one message.
 *
 * @param decision the pipeline's combined decision: the blocking gate's outcome (or ALLOW), with
 *     the reasons of every gate that ran, in order
 * @param send what the transport said, when it was called; else null
 */
public record DispatchResult(
    Message message, DispatchStatus status, Decision decision, SendResult send) {

  public DispatchResult {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(decision, "decision");
  }

  /** What the transport said, when it was called. */
  public Optional<SendResult> sendResult() {
    return Optional.ofNullable(send);
  }

  @Override
  public String toString() {
    return message.id() + " " + status + " " + decision;
  }
}
