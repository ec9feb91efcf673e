package dev.steward.delivery;

import dev.steward.model.EmailEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes in batches of {@link EmailEvent}s, drops repeats by event id (providers deliver at least
 * once), and fans the new ones out to its listeners in order: ledger, consent, governance,
 * journeys, health. A batch is all or nothing: if a listener fails, the batch's ids are forgotten
 * again and an {@link EventProcessingException} tells the caller to answer with an error, so the
 * provider retries.
 */
public final class EventIngestor {
  private static final Logger log = LoggerFactory.getLogger(EventIngestor.class);

  /**
   * How long event ids are remembered: SendGrid retries a batch for 24 hours; three days is ample.
   */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(3);

  private final EventDeduplicationStore seen;
  private final List<EmailEventListener> listeners;
  private final Clock clock;
  private final Duration retention;

  private EventIngestor(Builder b) {
    this.seen = b.seen;
    this.listeners = List.copyOf(b.listeners);
    this.clock = b.clock;
    this.retention = b.retention;
  }

  /** A builder over the store that remembers seen event ids. */
  public static Builder builder(EventDeduplicationStore seen, Clock clock) {
    return new Builder(seen, clock);
  }

  /**
   * Ingests one batch.
   *
   * @throws InvalidEventBatchException if the batch is null or holds a null event (nothing done)
   * @throws EventProcessingException if a listener failed (the batch is forgotten; retry it)
   */
  public IngestResult ingest(List<EmailEvent> batch) {
    if (batch == null) {
      throw new InvalidEventBatchException("event batch must not be null");
    }
    Map<String, EmailEvent> unique = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      EmailEvent e = batch.get(i);
      if (e == null) {
        throw new InvalidEventBatchException("event batch has a null event at index " + i);
      }
      unique.putIfAbsent(e.eventId(), e);
    }
    if (unique.isEmpty()) {
      return new IngestResult(0, 0, 0);
    }
    Set<String> fresh = seen.claim(List.copyOf(unique.keySet()), clock.instant());
    List<EmailEvent> news = new ArrayList<>(fresh.size());
    for (EmailEvent e : unique.values()) {
      if (fresh.contains(e.eventId())) {
        news.add(e);
      }
    }
    if (!news.isEmpty()) {
      List<EmailEvent> view = List.copyOf(news);
      for (EmailEventListener listener : listeners) {
        try {
          listener.onEvents(view);
        } catch (RuntimeException e) {
          seen.release(fresh);
          throw new EventProcessingException(
              "event listener " + listener + " failed on a batch of " + view.size() + " events", e);
        }
      }
    }
    int duplicates = batch.size() - news.size();
    if (duplicates > 0) {
      log.debug("dropped {} repeated events of a batch of {}", duplicates, batch.size());
    }
    return new IngestResult(batch.size(), duplicates, news.size());
  }

  /** Forgets event ids older than the retention; call it now and then. Returns how many. */
  public int purgeExpired() {
    return seen.purgeSeenBefore(clock.instant().minus(retention));
  }

  /** Builds an {@link EventIngestor}. */
  public static final class Builder {
    private final EventDeduplicationStore seen;
    private final Clock clock;
    private final List<EmailEventListener> listeners = new ArrayList<>();
    private Duration retention = DEFAULT_RETENTION;

    private Builder(EventDeduplicationStore seen, Clock clock) {
      this.seen = Objects.requireNonNull(seen, "seen");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds a listener; listeners run in the order added. */
    public Builder listener(EmailEventListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** How long to remember event ids; default {@link #DEFAULT_RETENTION}. */
    public Builder retention(Duration retention) {
      if (retention == null || retention.compareTo(Duration.ofDays(1)) < 0) {
        throw new IllegalArgumentException(
            "retention must be at least one day (SendGrid retries for 24 h), was " + retention);
      }
      this.retention = retention;
      return this;
    }

    public EventIngestor build() {
      return new EventIngestor(this);
    }
  }
}
