package dev.steward.delivery;

import dev.steward.model.EmailEvent;
import java.util.List;

/**
 * Receives the new (de-duplicated) events of each batch the {@link EventIngestor} takes in: the
 * ledger, consent, and later governance, journeys and health measures.
 *
 * <p>A listener that throws makes the whole batch fail, so the provider delivers it again;
 * listeners must therefore tolerate seeing an event a second time after such a failure.
 */
@FunctionalInterface
public interface EmailEventListener {

  /** Handles the new events of one batch, in the order they arrived. */
  void onEvents(List<EmailEvent> events);
}
