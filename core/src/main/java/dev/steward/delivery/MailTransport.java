package dev.steward.delivery;

import dev.steward.model.Message;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * SPI: hands a message that passed every gate to a mail provider. The SendGrid adapter implements
 * it; {@code dev.steward.testing.RecordingTransport} is the dry run.
 *
 * <p>Implementations classify failures into {@link SendResult.Status} rather than throwing; an
 * exception thrown here is treated as {@link SendResult.Status#UNKNOWN}, since the request may have
 * left.
 *
 * <p>Two forms: {@link #send} answers on the calling thread; {@link #sendAsync} answers later, so a
 * transport over an HTTP client with asynchronous calls keeps hundreds of sends in flight on a few
 * threads (the work runner's {@code maxInFlight} bounds them). A transport implements {@code send}
 * and, if its client can, overrides {@code sendAsync}; an asynchronous-only client implements
 * {@code send} as {@code sendAsync(message).toCompletableFuture().join()}.
 */
public interface MailTransport {

  /** Sends one message. */
  SendResult send(Message message);

  /**
   * Sends one message and answers later; by default it runs {@link #send} on the calling thread. A
   * stage that fails counts as {@link SendResult.Status#UNKNOWN}, as a throw from {@code send}
   * does.
   */
  default CompletionStage<SendResult> sendAsync(Message message) {
    try {
      return CompletableFuture.completedFuture(send(message));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
