package dev.steward.journey;

import dev.steward.model.MessageKind;
import java.time.Duration;
import java.util.Optional;

/**
 * How a {@link JourneyScheduler} keeps the human tasks of its journeys in a {@link TaskStore}: when
 * an owner is reminded and a task escalates, how long the journey then waits before it goes on by
 * the step's overdue path, whom tasks go to, and what the email a task sends is.
 *
 * <p>A task due at {@code due} (its step's due time after the step began) is reminded at {@code due
 * - remindBefore} (not before it was created), escalates to its second owner at {@code due}, and
 * expires, the journey taking the step's overdue path, at {@code due + escalatedFor}.
 *
 * @param remindBefore how long before the due time the owner is reminded
 * @param escalatedFor how long an escalated task stays open before the journey goes on without it
 * @param secondOwnerAttribute the contact attribute naming the second owner
 * @param unassigned the owner of a task whose contact names none
 * @param kind the kind of the messages tasks send
 * @param category the category of the messages tasks send
 */
public record TaskPolicy(
    Duration remindBefore,
    Duration escalatedFor,
    String secondOwnerAttribute,
    String unassigned,
    MessageKind kind,
    String category) {

  /** Reminded a day before due unless set. */
  public static final Duration DEFAULT_REMIND_BEFORE = Duration.ofDays(1);

  /** Escalated tasks stay open two days unless set. */
  public static final Duration DEFAULT_ESCALATED_FOR = Duration.ofDays(2);

  /** The second owner's attribute unless set. */
  public static final String DEFAULT_SECOND_OWNER_ATTRIBUTE = "csm-manager";

  /** The owner of tasks whose contact names none, unless set. */
  public static final String DEFAULT_UNASSIGNED = "unassigned";

  /** The defaults: a day's reminder, two days escalated, RELATIONSHIP mail in category csm. */
  public static final TaskPolicy DEFAULTS = builder().build();

  public TaskPolicy {
    InvalidTaskException.require(remindBefore, "remindBefore");
    InvalidTaskException.require(escalatedFor, "escalatedFor");
    if (remindBefore.isNegative() || remindBefore.compareTo(Step.Wait.MAX) > 0) {
      throw new InvalidTaskException(
          "remindBefore must be 0 to " + Step.Wait.MAX + ", was " + remindBefore);
    }
    if (escalatedFor.isNegative()
        || escalatedFor.isZero()
        || escalatedFor.compareTo(Step.Wait.MAX) > 0) {
      throw new InvalidTaskException(
          "escalatedFor must be more than 0 and at most "
              + Step.Wait.MAX
              + ", was "
              + escalatedFor);
    }
    ContactProfile.checkAttribute(
        InvalidTaskException.line(secondOwnerAttribute, "secondOwnerAttribute", 200),
        "secondOwnerAttribute");
    InvalidTaskException.line(unassigned, "unassigned owner", JourneyTask.MAX_OWNER);
    InvalidTaskException.require(kind, "kind");
    InvalidTaskException.line(category, "category", 100);
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link TaskPolicy}; every setter's value is checked by {@link #build()}. */
  public static final class Builder {
    private Duration remindBefore = DEFAULT_REMIND_BEFORE;
    private Duration escalatedFor = DEFAULT_ESCALATED_FOR;
    private String secondOwnerAttribute = DEFAULT_SECOND_OWNER_ATTRIBUTE;
    private String unassigned = DEFAULT_UNASSIGNED;
    private MessageKind kind = MessageKind.RELATIONSHIP;
    private String category = "csm";

    private Builder() {}

    /** How long before the due time the owner is reminded; 0 for at the due time. */
    public Builder remindBefore(Duration d) {
      this.remindBefore = d;
      return this;
    }

    /** How long an escalated task stays open before the journey goes on without it. */
    public Builder escalatedFor(Duration d) {
      this.escalatedFor = d;
      return this;
    }

    /** The contact attribute naming the second owner. */
    public Builder secondOwnerAttribute(String attribute) {
      this.secondOwnerAttribute = attribute;
      return this;
    }

    /** The owner of tasks whose contact names none. */
    public Builder unassigned(String owner) {
      this.unassigned = owner;
      return this;
    }

    /** The kind and category of the messages tasks send. */
    public Builder message(MessageKind kind, String category) {
      this.kind = kind;
      this.category = category;
      return this;
    }

    /** The policy. */
    public TaskPolicy build() {
      return new TaskPolicy(
          remindBefore, escalatedFor, secondOwnerAttribute, unassigned, kind, category);
    }
  }

  /** The owner a contact's attribute names, if it is a storable owner. */
  static Optional<String> owner(String value) {
    return Optional.ofNullable(value)
        .filter(v -> dev.steward.model.StoreLimits.textProblem(v, JourneyTask.MAX_OWNER) == null);
  }
}
