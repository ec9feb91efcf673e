package dev.steward.journey;

import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Durable counts of journey analytics ({@link JourneyAnalytics}), every key scoped by tenant: per
 * journey, version, step and {@link JourneyMetric}, a total and a count per reason; a mark per
 * subject and metric, so that each is counted once however often it is reported; and the alert
 * episodes that are open, so that an alert is raised once per episode across instances.
 *
 * <p>Implementations: {@link InMemoryJourneyAnalyticsStore}, and {@code
 * dev.steward.jdbc.JdbcJourneyAnalyticsStore} for H2 and PostgreSQL. All pass one contract suite
 * and refuse the same inputs with {@link InvalidJourneyException}.
 */
public interface JourneyAnalyticsStore {

  /**
   * Counts {@code fact} unless its subject was counted for its metric already (whatever the step or
   * reason then): the mark and the counts (the metric's total, and its reason's count when it has
   * one) are written atomically. True if counted.
   */
  boolean record(JourneyFact fact);

  /**
   * Counts {@code fact} as {@link #record} does, for a caller that needs no answer (the analytics'
   * listeners): a store may write it together with the other facts of the transaction it runs in,
   * just before that commits (the JDBC store does, inside a journey step's unit of work). The
   * default records it at once.
   */
  default void recordLater(JourneyFact fact) {
    record(fact);
  }

  /**
   * The step a message was counted against by any of the per-message metrics ({@link
   * JourneyMetric#perMessage()}): how a provider event about it finds its journey version.
   */
  Optional<JourneyStepRef> stepOf(TenantId tenant, String messageId);

  /**
   * {@link #stepOf} for many messages of one tenant at once: the step of each one counted, by
   * message id; the ones never counted are absent. A store that reads a database answers with one
   * read (a journey batch's sends are placed with it); the default asks {@link #stepOf} for each.
   */
  default Map<String, JourneyStepRef> stepsOf(TenantId tenant, Collection<String> messageIds) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(messageIds, "message ids");
    Map<String, JourneyStepRef> out = new HashMap<>();
    for (String id : messageIds) {
      stepOf(tenant, id).ifPresent(step -> out.put(id, step));
    }
    return out;
  }

  /** Every count of one journey version of a tenant, in no particular order; empty if none. */
  List<StepCount> counts(TenantId tenant, String journey, int version);

  /**
   * Opens an alert episode of {@code kind} at {@code step}; false if one is open already (so the
   * caller raises the alert only on true).
   */
  boolean openEpisode(TenantId tenant, JourneyStepRef step, JourneyAlertKind kind, Instant at);

  /** Closes the open episode of {@code kind} at {@code step}; false if none was open. */
  boolean closeEpisode(TenantId tenant, JourneyStepRef step, JourneyAlertKind kind);

  /**
   * The open alert episodes of a journey version: the kinds open at each step, by step id; empty if
   * none.
   */
  Map<String, Set<JourneyAlertKind>> openEpisodes(TenantId tenant, String journey, int version);

  /**
   * Deletes at most {@code max} marks (of every tenant) whose fact happened before {@code cutoff};
   * how many. The counts stay; a subject whose mark is gone would be counted again if reported
   * again, so marks are kept longer than any event may come late.
   */
  int purgeMarksBefore(Instant cutoff, int max);

  /** Checks the arguments of {@link #purgeMarksBefore} as every store does. */
  static void checkPurge(Instant cutoff, int max) {
    InvalidJourneyException.requireNonNull(cutoff, "cutoff");
    if (max < 1) {
      throw new InvalidJourneyException("a purge deletes at least 1 mark, was asked for " + max);
    }
  }

  /** Forgets every count, mark and episode of a tenant; how many marks. */
  int eraseTenant(TenantId tenant);

  /** Checks the arguments of {@link #counts} as every store does. */
  static void checkJourney(TenantId tenant, String journey, int version) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    JourneyDefinition.checkJourneyId(journey);
    if (version < 1) {
      throw new InvalidJourneyException(
          "journey '" + journey + "' has version " + version + "; versions start at 1");
    }
  }

  /** Checks the arguments of {@link #stepOf} as every store does. */
  static void checkMessage(TenantId tenant, String messageId) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    if (messageId == null || messageId.isBlank() || messageId.length() > JourneyFact.MAX_SUBJECT) {
      throw new InvalidJourneyException(
          "message id must be 1 to " + JourneyFact.MAX_SUBJECT + " characters, was " + messageId);
    }
  }

  /** Checks the arguments of the episode methods as every store does. */
  static void checkEpisode(TenantId tenant, JourneyStepRef step, JourneyAlertKind kind) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(step, "step");
    InvalidJourneyException.requireNonNull(kind, "alert kind");
  }

  /** Checks the arguments of {@link #openEpisode} as every store does. */
  static void checkOpen(TenantId tenant, JourneyStepRef step, JourneyAlertKind kind, Instant at) {
    checkEpisode(tenant, step, kind);
    Enrolment.storable(at, "opening time of a " + kind + " episode at " + step);
  }
}
