package dev.steward.delivery;

import dev.steward.StewardException;

/**
 * A listener failed on a batch; the batch's events were forgotten by the de-duplication store so
 * that the provider's retry processes them again. A webhook answers this with a 5xx.
 */
public class EventProcessingException extends StewardException {
  private static final long serialVersionUID = 1L;

  public EventProcessingException(String message, Throwable cause) {
    super(message, cause);
  }
}
