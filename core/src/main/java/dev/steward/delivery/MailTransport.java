package dev.steward.delivery;

import dev.steward.model.Message;

/**
 * SPI: hands a message that passed every gate to a mail provider. The SendGrid adapter implements
 * it; {@code dev.steward.testing.RecordingTransport} is the dry run.
 *
 * <p>Implementations classify failures into {@link SendResult.Status} rather than throwing; an
 * exception thrown here is treated as {@link SendResult.Status#UNKNOWN}, since the request may have
 * left.
 */
public interface MailTransport {

  /** Sends one message. */
  SendResult send(Message message);
}
