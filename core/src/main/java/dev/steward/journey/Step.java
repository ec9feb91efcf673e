package dev.steward.journey;

import dev.steward.model.Channel;
import dev.steward.model.MessageKind;
import dev.steward.model.Priority;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One step of a journey. Every step has an id unique in its journey; most name the step that comes
 * after them ({@code next}), and a step with no next one completes the journey (a wait with no next
 * step completes it at once: there is nothing left to wait for).
 *
 * <p>Waits count from the time the step before them was due, not from when it happened to run, so a
 * runner that is a little late does not shift the whole cadence; after a long outage the steps that
 * fell due meanwhile run at once, in order.
 */
public sealed interface Step {

  /** The longest step id. */
  int MAX_ID = 80;

  /** The step's id, unique within its journey. */
  String id();

  /** The ids of the steps this one may lead to, in order. */
  List<String> targets();

  /** The step's deadline, after which it is skipped; only send and task steps have one. */
  default Optional<Deadline> deadline() {
    return Optional.empty();
  }

  /** Whether passing this step always lets time pass (so that a loop through it is no spin). */
  default boolean waits() {
    return false;
  }

  /**
   * One version of a send step's content, chosen with a probability proportional to its weight.
   *
   * @param name the variant's name, unique within its step (analytics report it)
   * @param templateId the provider's template
   * @param weight a positive weight
   */
  record Variant(String name, String templateId, int weight) {
    public Variant {
      checkText(name, "variant name");
      checkText(templateId, "template id of variant '" + name + "'");
      if (weight < 1) {
        throw new InvalidJourneyException(
            "variant '" + name + "' has weight " + weight + "; weights must be at least 1");
      }
    }
  }

  /**
   * Sends one message to the contact through the dispatcher (consent, caps and the rest apply).
   *
   * @param variants one or more template variants; one alone is a plain send
   */
  record Send(
      String id,
      List<Variant> variants,
      MessageKind kind,
      String category,
      Channel channel,
      Priority priority,
      Optional<String> next,
      Optional<Deadline> deadline)
      implements Step {
    /** A send step without a deadline. */
    public Send(
        String id,
        List<Variant> variants,
        MessageKind kind,
        String category,
        Channel channel,
        Priority priority,
        Optional<String> next) {
      this(id, variants, kind, category, channel, priority, next, Optional.empty());
    }

    public Send {
      id = checkId(id);
      if (variants == null || variants.isEmpty()) {
        throw new InvalidJourneyException("step '" + id + "' sends no template");
      }
      List<String> names = new ArrayList<>();
      for (Variant v : variants) {
        InvalidJourneyException.requireNonNull(v, "a variant of step '" + id + "'");
        if (names.contains(v.name())) {
          throw new InvalidJourneyException(
              "step '" + id + "' has the variant '" + v.name() + "' twice");
        }
        names.add(v.name());
      }
      variants = List.copyOf(variants);
      InvalidJourneyException.requireNonNull(kind, "kind of step '" + id + "'");
      checkText(category, "category of step '" + id + "'");
      try {
        category = dev.steward.model.Message.category(category);
      } catch (RuntimeException e) {
        throw new InvalidJourneyException("step '" + id + "': " + e.getMessage(), e);
      }
      channel = channel == null ? Channel.EMAIL : channel;
      priority = priority == null ? Priority.NORMAL : priority;
      next = optionalId(next);
      deadline = deadline == null ? Optional.empty() : deadline;
    }

    /** This step with a deadline, after which it is skipped. */
    public Send withDeadline(Deadline deadline) {
      InvalidJourneyException.requireNonNull(deadline, "deadline of step '" + id + "'");
      return new Send(id, variants, kind, category, channel, priority, next, Optional.of(deadline));
    }

    /** A plain send of one template, email, normal priority. */
    public static Send of(
        String id, String templateId, MessageKind kind, String category, String next) {
      return new Send(
          id,
          List.of(new Variant("default", templateId, 1)),
          kind,
          category,
          Channel.EMAIL,
          Priority.NORMAL,
          Optional.ofNullable(next));
    }

    @Override
    public List<String> targets() {
      return next.stream().toList();
    }
  }

  /** Waits a fixed time, then goes on. */
  record Wait(String id, Duration duration, Optional<String> next) implements Step {
    /** The longest wait, and the largest date offset: ten years. */
    public static final Duration MAX = Duration.ofDays(3660);

    public Wait {
      id = checkId(id);
      InvalidJourneyException.requireNonNull(duration, "duration of step '" + id + "'");
      if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX) > 0) {
        throw new InvalidJourneyException(
            "step '"
                + id
                + "' waits "
                + duration
                + "; a wait lasts more than 0 and at most "
                + MAX);
      }
      next = optionalId(next);
    }

    @Override
    public List<String> targets() {
      return next.stream().toList();
    }

    @Override
    public boolean waits() {
      return true;
    }
  }

  /**
   * Waits until the next time it is {@code time} on one of {@code days} in the contact's zone
   * (strictly later than now). A time that a DST change skips is taken as the same moment after the
   * change; a time that occurs twice, at its first occurrence.
   */
  record WaitUntilLocalTime(String id, LocalTime time, Set<DayOfWeek> days, Optional<String> next)
      implements Step {
    public WaitUntilLocalTime {
      id = checkId(id);
      InvalidJourneyException.requireNonNull(time, "time of step '" + id + "'");
      if (days == null || days.isEmpty()) {
        days = EnumSet.allOf(DayOfWeek.class);
      }
      days = Set.copyOf(EnumSet.copyOf(days));
      next = optionalId(next);
    }

    @Override
    public List<String> targets() {
      return next.stream().toList();
    }

    @Override
    public boolean waits() {
      return true;
    }
  }

  /**
   * Waits until a date attribute of the contact ({@code 2026-09-30}) moved by {@code offsetDays},
   * at {@code time} in the contact's zone; at once if that time has passed. A contact without the
   * attribute, or with one that is not a date, exits the journey.
   */
  record WaitUntilDate(
      String id, String attribute, int offsetDays, LocalTime time, Optional<String> next)
      implements Step {
    public WaitUntilDate {
      id = checkId(id);
      checkText(attribute, "attribute of step '" + id + "'");
      checkOffset(offsetDays, "step '" + id + "'");
      time = time == null ? LocalTime.of(9, 0) : time;
      next = optionalId(next);
    }

    @Override
    public List<String> targets() {
      return next.stream().toList();
    }
  }

  /**
   * Waits for an event: {@code opened} or {@code clicked} of the message the enrolment last sent,
   * or {@code replied} or {@code custom:<name>} signalled for the contact; after {@code timeout}
   * without it, goes to {@code onTimeout}.
   */
  record WaitForEvent(
      String id,
      String event,
      Duration timeout,
      Optional<String> onEvent,
      Optional<String> onTimeout)
      implements Step {
    public WaitForEvent {
      id = checkId(id);
      event = checkEvent(event, id);
      InvalidJourneyException.requireNonNull(timeout, "timeout of step '" + id + "'");
      if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Wait.MAX) > 0) {
        throw new InvalidJourneyException(
            "step '"
                + id
                + "' times out after "
                + timeout
                + "; a timeout lasts more than 0 and at most "
                + Wait.MAX);
      }
      onEvent = optionalId(onEvent);
      onTimeout = optionalId(onTimeout);
    }

    @Override
    public List<String> targets() {
      List<String> t = new ArrayList<>();
      onEvent.ifPresent(t::add);
      onTimeout.ifPresent(t::add);
      return t;
    }

    @Override
    public boolean waits() {
      return true;
    }

    /** True for events of the last sent message (opened, clicked), matched by its id. */
    public boolean onMessage() {
      return event.equals(OPENED) || event.equals(CLICKED);
    }
  }

  /** The event a wait for {@code opened} waits for. */
  String OPENED = "opened";

  /** The event a wait for {@code clicked} waits for. */
  String CLICKED = "clicked";

  /** The event a wait for {@code replied} waits for. */
  String REPLIED = "replied";

  /** One case of a branch: where to go when the condition holds. */
  record Case(Condition when, String next) {
    public Case {
      InvalidJourneyException.requireNonNull(when, "condition of a branch case");
      next = checkId(next);
    }
  }

  /** Goes to the first case whose condition holds, else to {@code otherwise}. */
  record Branch(String id, List<Case> cases, Optional<String> otherwise) implements Step {
    public Branch {
      id = checkId(id);
      if (cases == null || cases.isEmpty()) {
        throw new InvalidJourneyException("branch '" + id + "' has no case");
      }
      cases = List.copyOf(cases);
      otherwise = optionalId(otherwise);
    }

    @Override
    public List<String> targets() {
      List<String> t = new ArrayList<>();
      cases.forEach(c -> t.add(c.next()));
      otherwise.ifPresent(t::add);
      return t;
    }
  }

  /** Sets an attribute of the contact, or removes it when {@code value} is empty. */
  record UpdateAttribute(String id, String attribute, Optional<String> value, Optional<String> next)
      implements Step {
    public UpdateAttribute {
      id = checkId(id);
      checkText(attribute, "attribute of step '" + id + "'");
      value = value == null ? Optional.empty() : value;
      // checked as every store checks an attribute, so no contact can reach an unstorable value
      if (value.isPresent()) {
        ContactProfile.checkAttribute(value.get(), "value of step '" + id + "'");
      }
      next = optionalId(next);
    }

    @Override
    public List<String> targets() {
      return next.stream().toList();
    }
  }

  /** Enrols the contact in another journey (by its rules), then goes on. */
  record EnrolIn(String id, String journey, Optional<String> next) implements Step {
    public EnrolIn {
      id = checkId(id);
      checkText(journey, "journey of step '" + id + "'");
      next = optionalId(next);
    }

    @Override
    public List<String> targets() {
      return next.stream().toList();
    }
  }

  /**
   * Creates a task for a person (a CSM check-in, a QBR invite): the owner named by the contact's
   * {@code ownerAttribute} sees the suggested email ({@code template}), sends it as suggested,
   * edits and sends it, or dismisses it with a reason, and reports the outcome with {@link
   * JourneyScheduler#completeTask}; the journey goes on by that outcome, or by {@code onOverdue}
   * when nobody acted within {@code due}. Tasks are listed from the enrolments waiting on them
   * ({@link JourneyScheduler#openTasks}). A scheduler built with a {@link TaskStore} ({@link
   * JourneyScheduler.Builder#tasks}) keeps each task there instead, with a reminder, an escalation
   * to a second owner and reports, and completes it through {@link TaskDesk#complete}, which sends
   * its email; the journey then takes {@code onOverdue} once the escalated task has stayed open for
   * {@link TaskPolicy#escalatedFor}.
   *
   * @param task what the task is, for people and reports ({@code csm-check-in})
   * @param template the suggested email's template; empty for a task without one
   * @param ownerAttribute the contact attribute naming the owner
   */
  record HumanTask(
      String id,
      String task,
      Optional<String> template,
      String ownerAttribute,
      Duration due,
      Optional<String> onSent,
      Optional<String> onEdited,
      Optional<String> onDismissed,
      Optional<String> onOverdue,
      Optional<Deadline> deadline)
      implements Step {
    /** The owner attribute of a task that names none. */
    public static final String DEFAULT_OWNER_ATTRIBUTE = "csm";

    /** A task step without a deadline. */
    public HumanTask(
        String id,
        String task,
        Optional<String> template,
        String ownerAttribute,
        Duration due,
        Optional<String> onSent,
        Optional<String> onEdited,
        Optional<String> onDismissed,
        Optional<String> onOverdue) {
      this(
          id,
          task,
          template,
          ownerAttribute,
          due,
          onSent,
          onEdited,
          onDismissed,
          onOverdue,
          Optional.empty());
    }

    public HumanTask {
      id = checkId(id);
      checkText(task, "task of step '" + id + "'");
      template = template == null ? Optional.empty() : template;
      if (template.isPresent()) {
        checkText(template.get(), "template of step '" + id + "'");
      }
      ownerAttribute =
          ownerAttribute == null
              ? DEFAULT_OWNER_ATTRIBUTE
              : checkText(ownerAttribute, "owner attribute of step '" + id + "'");
      InvalidJourneyException.requireNonNull(due, "due time of step '" + id + "'");
      if (due.isNegative() || due.isZero() || due.compareTo(Wait.MAX) > 0) {
        throw new InvalidJourneyException(
            "step '"
                + id
                + "' gives its task "
                + due
                + "; a task is due after more than 0 and at most "
                + Wait.MAX);
      }
      onSent = optionalId(onSent);
      onEdited = optionalId(onEdited);
      onDismissed = optionalId(onDismissed);
      onOverdue = optionalId(onOverdue);
      deadline = deadline == null ? Optional.empty() : deadline;
    }

    /**
     * This step with a deadline: reached after it, no task is created and the journey takes {@code
     * onOverdue}.
     */
    public HumanTask withDeadline(Deadline deadline) {
      InvalidJourneyException.requireNonNull(deadline, "deadline of step '" + id + "'");
      return new HumanTask(
          id,
          task,
          template,
          ownerAttribute,
          due,
          onSent,
          onEdited,
          onDismissed,
          onOverdue,
          Optional.of(deadline));
    }

    @Override
    public List<String> targets() {
      List<String> t = new ArrayList<>();
      onSent.ifPresent(t::add);
      onEdited.ifPresent(t::add);
      onDismissed.ifPresent(t::add);
      onOverdue.ifPresent(t::add);
      return t;
    }

    @Override
    public boolean waits() {
      return true;
    }

    /** Where an outcome leads; empty to complete the journey. */
    public Optional<String> after(TaskOutcome outcome) {
      return switch (outcome) {
        case SENT_AS_SUGGESTED -> onSent;
        case SENT_EDITED -> onEdited;
        case DISMISSED -> onDismissed;
      };
    }
  }

  /** Leaves the journey, recording {@code reason}. */
  record Exit(String id, String reason) implements Step {
    public Exit {
      id = checkId(id);
      reason = reason == null || reason.isBlank() ? "exit step '" + id + "'" : reason;
      // rb3: stored as each exited enrolment's reason and in its history: storable like them
      ContactProfile.checkAttribute(reason, "exit reason of step '" + id + "'");
    }

    @Override
    public List<String> targets() {
      return List.of();
    }
  }

  /** The largest date offset, in days either way: ten years. */
  int MAX_OFFSET_DAYS = 3660;

  private static void checkOffset(int days, String where) {
    if (Math.abs((long) days) > MAX_OFFSET_DAYS) {
      throw new InvalidJourneyException(
          where
              + " has the offset "
              + days
              + " days; offsets lie within "
              + MAX_OFFSET_DAYS
              + " days of the date");
    }
  }

  private static String checkEvent(String event, String stepId) {
    if (event == null || event.isBlank()) {
      throw new InvalidJourneyException("step '" + stepId + "' waits for no event");
    }
    String e = event.strip().toLowerCase(Locale.ROOT);
    if (e.equals(OPENED) || e.equals(CLICKED) || e.equals(REPLIED)) {
      return e;
    }
    if (e.startsWith("custom:") && e.length() > "custom:".length()) {
      return "custom:" + checkText(e.substring("custom:".length()), "custom event name");
    }
    throw new InvalidJourneyException(
        "step '"
            + stepId
            + "' waits for event '"
            + event
            + "': unknown event type; use opened, clicked, replied or custom:<name>");
  }

  private static String checkId(String id) {
    if (id == null || id.isBlank()) {
      throw new InvalidJourneyException("a step id must not be blank");
    }
    if (id.length() > MAX_ID) {
      throw new InvalidJourneyException(
          "step id '"
              + id.substring(0, 20)
              + "...' is "
              + id.length()
              + " characters; at most "
              + MAX_ID);
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (Character.isISOControl(c) || Character.isSurrogate(c) || c == '/') {
        throw new InvalidJourneyException(
            "step id '" + id + "' has a control character, a surrogate or '/' at " + i);
      }
    }
    return id;
  }

  private static Optional<String> optionalId(Optional<String> id) {
    return id == null ? Optional.empty() : id.map(Step::checkId);
  }

  private static String checkText(String text, String what) {
    if (text == null || text.isBlank()) {
      throw new InvalidJourneyException(what + " must not be blank");
    }
    if (text.length() > 200) {
      throw new InvalidJourneyException(what + " is longer than 200 characters");
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        throw new InvalidJourneyException(what + " has a control character at " + i);
      }
    }
    // rb3: a template id with half a pair made every message of its step fail when built
    int half = dev.steward.model.StoreLimits.unpairedSurrogateAt(text);
    if (half >= 0) {
      throw new InvalidJourneyException(what + " has half a surrogate pair at " + half);
    }
    return text;
  }
}
