package dev.steward.journey;

import dev.steward.model.ContactId;
import dev.steward.model.MessageId;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * One contact's passage through one version of a journey. Every change to it raises {@link #seq} by
 * one and is recorded as a {@link HistoryEntry} of the same number, so stores apply changes as
 * compare-and-set on it and nothing is applied twice.
 *
 * @param id unique within the tenant
 * @param step the current step (for a finished enrolment, the last one)
 * @param seq 0 when entered, one more after each change
 * @param dueAt when the current step runs (for WAITING, when the wait times out)
 * @param lastMessage the message the last send step dispatched, which opened/clicked waits match
 * @param exitReason why it exited, for EXITED
 */
public record Enrolment(
    TenantId tenant,
    String id,
    ContactId contact,
    String journey,
    int version,
    String step,
    int seq,
    EnrolmentState state,
    Instant dueAt,
    Instant enteredAt,
    Instant updatedAt,
    Optional<MessageId> lastMessage,
    Optional<String> exitReason) {

  /** The longest enrolment id. */
  public static final int MAX_ID = 64;

  public Enrolment {
    InvalidJourneyException.requireNonNull(tenant, "tenant of an enrolment");
    if (id == null || id.isBlank() || id.length() > MAX_ID) {
      throw new InvalidJourneyException(
          "enrolment id must be 1 to " + MAX_ID + " characters, was " + id);
    }
    // messages built only on failure: an enrolment is made on every step and every read
    if (contact == null) {
      throw new InvalidJourneyException("contact of enrolment " + id + " must not be null");
    }
    JourneyDefinition.checkJourneyId(journey);
    if (version < 1) {
      throw new InvalidJourneyException("enrolment " + id + " has version " + version);
    }
    if (step == null) {
      throw new InvalidJourneyException("step of enrolment " + id + " must not be null");
    }
    if (seq < 0) {
      throw new InvalidJourneyException("enrolment " + id + " has seq " + seq);
    }
    if (state == null) {
      throw new InvalidJourneyException("state of enrolment " + id + " must not be null");
    }
    storable(dueAt, "due time of enrolment ", id);
    storable(enteredAt, "entry time of enrolment ", id);
    storable(updatedAt, "update time of enrolment ", id);
    lastMessage = lastMessage == null ? Optional.empty() : lastMessage;
    exitReason = exitReason == null ? Optional.empty() : exitReason;
  }

  static void storable(Instant at, String what) {
    String problem = StoreLimits.instantProblem(at);
    if (problem != null) {
      throw new InvalidJourneyException(what + " " + problem);
    }
  }

  /** As {@link #storable(Instant, String)}, the message {@code what + id} built only on failure. */
  private static void storable(Instant at, String what, String id) {
    String problem = StoreLimits.instantProblem(at);
    if (problem != null) {
      throw new InvalidJourneyException(what + id + " " + problem);
    }
  }

  /** The next version of this enrolment: seq one more, updated at {@code now}. */
  Enrolment next(String step, EnrolmentState state, Instant dueAt, Instant now) {
    return next(step, state, dueAt, now, lastMessage);
  }

  /**
   * As {@link #next(String, EnrolmentState, Instant, Instant)}, with {@code lastMessage} the
   * message its step dispatched: one enrolment made (and checked) instead of two.
   */
  Enrolment next(
      String step,
      EnrolmentState state,
      Instant dueAt,
      Instant now,
      Optional<MessageId> lastMessage) {
    return new Enrolment(
        tenant,
        id,
        contact,
        journey,
        version,
        step,
        seq + 1,
        state,
        dueAt,
        enteredAt,
        now,
        lastMessage,
        exitReason);
  }

  Enrolment withLastMessage(MessageId message) {
    return new Enrolment(
        tenant,
        id,
        contact,
        journey,
        version,
        step,
        seq,
        state,
        dueAt,
        enteredAt,
        updatedAt,
        Optional.of(message),
        exitReason);
  }

  Enrolment withExitReason(String reason) {
    return new Enrolment(
        tenant,
        id,
        contact,
        journey,
        version,
        step,
        seq,
        state,
        dueAt,
        enteredAt,
        updatedAt,
        lastMessage,
        Optional.of(reason));
  }

  /** This enrolment moved to {@code version} at {@code step}: seq one more, updated at now. */
  Enrolment migrated(int version, String step, EnrolmentState state, Instant dueAt, Instant now) {
    return new Enrolment(
        tenant,
        id,
        contact,
        journey,
        version,
        step,
        seq + 1,
        state,
        dueAt,
        enteredAt,
        now,
        lastMessage,
        exitReason);
  }
}
