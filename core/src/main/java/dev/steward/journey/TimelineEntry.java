package dev.steward.journey;

import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * One thing that happened to a contact in a {@link JourneySimulation}, at a virtual instant.
 *
 * @param team the team whose journey or campaign it belongs to
 * @param journey the journey id; for a team's campaign {@code campaign:<id>} (see {@link
 *     SimulatedCampaign})
 * @param version the journey version the enrolment runs on
 * @param step the step it happened at
 * @param detail why, for people: the rule that deferred or suppressed a send ({@code
 *     frequency/...}), the cause of a skip, the exit criterion, the template sent, the branch taken
 * @param until for {@link Kind#DEFERRED}, when the message is due to go out; else empty
 */
public record TimelineEntry(
    Instant at,
    TenantId tenant,
    ContactId contact,
    String team,
    String journey,
    int version,
    String step,
    Kind kind,
    String detail,
    Optional<Instant> until) {

  public TimelineEntry {
    InvalidJourneyException.requireNonNull(at, "time of a timeline entry");
    InvalidJourneyException.requireNonNull(tenant, "tenant of a timeline entry");
    InvalidJourneyException.requireNonNull(contact, "contact of a timeline entry");
    InvalidJourneyException.requireNonNull(team, "team of a timeline entry");
    InvalidJourneyException.requireNonNull(journey, "journey of a timeline entry");
    InvalidJourneyException.requireNonNull(step, "step of a timeline entry");
    InvalidJourneyException.requireNonNull(kind, "kind of a timeline entry");
    detail = detail == null ? "" : detail;
    until = until == null ? Optional.empty() : until;
  }

  /** What happened. */
  public enum Kind {
    /** The contact entered the journey. */
    ENTERED,
    /** A send step's message went to the (recording) transport. */
    SENT,
    /** A send step's message was deferred by a gate until {@link TimelineEntry#until}. */
    DEFERRED,
    /** A send step's message was not sent: suppressed, failed, or past its deadline. */
    SKIPPED,
    /** The enrolment left the journey (the detail names the exit criterion or cause). */
    EXITED,
    /** The enrolment ran off the end of the journey. */
    COMPLETED,
    /** A human task was created. */
    TASK_CREATED,
    /** A simulated owner completed a task (the detail: the outcome and who), or came too late. */
    TASK_COMPLETED,
    /** A task's owner was reminded (the detail names the owner). */
    TASK_REMINDED,
    /** An overdue task moved to its second owner (the detail names them). */
    TASK_ESCALATED,
    /** The contact opened a message of the step. */
    OPENED,
    /** The contact clicked a message of the step. */
    CLICKED,
    /** The contact unsubscribed (the detail: from all email or from a category). */
    UNSUBSCRIBED,
    /** The contact reported a message of the step as spam. */
    SPAM_REPORTED,
    /** A message of the step hard-bounced: the address is suppressed from then on. */
    BOUNCED,
    /**
     * Any other step that did something: a branch taken, an awaited event or its time-out, an
     * attribute updated, an enrolment elsewhere, a task's outcome (the detail says which).
     */
    STEP
  }

  @Override
  public String toString() {
    return at
        + " "
        + contact
        + " "
        + journey
        + "/"
        + step
        + " "
        + kind
        + (detail.isEmpty() ? "" : " " + detail)
        + until.map(u -> " until " + u).orElse("");
  }
}
