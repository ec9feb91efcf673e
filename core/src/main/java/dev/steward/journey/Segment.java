package dev.steward.journey;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The predicate of a segment entry trigger, as data: comparisons of a contact's attributes ({@link
 * Condition}), counts of the contact's events over a window ("no {@code login} in 14 days"), and
 * {@code and}, {@code or}, {@code not} over both. Evaluated by {@link JourneyTriggers} when an
 * attribute changes, when an event is recorded, and on a schedule, since a window moves with time.
 *
 * <p>JSON: an attribute comparison as in {@link Condition}, {@code {"events": {"event": "login",
 * "within": "P14D", "op": "eq", "count": 0}}}, {@code {"and": [...]}}, {@code {"or": [...]}},
 * {@code {"not": {...}}}.
 */
public sealed interface Segment {

  /** The longest window an event count may look back over. */
  Duration MAX_WINDOW = Duration.ofDays(Step.MAX_OFFSET_DAYS);

  /** How many of a contact's events of a name fall in a window that ends now. */
  @FunctionalInterface
  interface EventCounts {
    /** The number of events named {@code event} within {@code window} before now. */
    int count(String event, Duration window);
  }

  /** Whether a contact with these attributes and events is in the segment. */
  boolean test(Map<String, String> attributes, EventCounts events);

  /** How deeply the predicate nests: 1 for a leaf. */
  int depth();

  /** True if some part counts events. */
  boolean countsEvents();

  /** A segment of the contacts whose attributes satisfy {@code condition}. */
  static Segment where(Condition condition) {
    return new Attributes(condition);
  }

  /** {@code count(event within window) op count}. */
  static Segment events(String event, Duration within, Condition.Op op, int count) {
    return new EventCount(event, within, op, count);
  }

  /** At least {@code n} events named {@code event} within {@code window}. */
  static Segment atLeast(int n, String event, Duration within) {
    return new EventCount(event, within, Condition.Op.GE, n);
  }

  /** No event named {@code event} within {@code window}. */
  static Segment none(String event, Duration within) {
    return new EventCount(event, within, Condition.Op.EQ, 0);
  }

  /** Every part holds. */
  static Segment and(Segment... parts) {
    return new All(List.of(parts));
  }

  /** Some part holds. */
  static Segment or(Segment... parts) {
    return new Any(List.of(parts));
  }

  /** The part does not hold. */
  static Segment not(Segment part) {
    return new Not(part);
  }

  /** A condition over the contact's attributes. */
  record Attributes(Condition condition) implements Segment {
    public Attributes {
      InvalidJourneyException.requireNonNull(condition, "the condition of a segment");
    }

    @Override
    public boolean test(Map<String, String> attributes, EventCounts events) {
      return condition.test(attributes);
    }

    @Override
    public int depth() {
      return condition.depth();
    }

    @Override
    public boolean countsEvents() {
      return false;
    }

    @Override
    public String toString() {
      return condition.toString();
    }
  }

  /**
   * The number of the contact's events named {@code event} within {@code within} before now,
   * compared with {@code count} by {@code op} (not {@code exists} or {@code missing}).
   */
  record EventCount(String event, Duration within, Condition.Op op, int count) implements Segment {
    public EventCount {
      event = ContactEvent.checkName(event);
      InvalidJourneyException.requireNonNull(within, "window of the count of '" + event + "'");
      if (within.isNegative() || within.isZero() || within.compareTo(MAX_WINDOW) > 0) {
        throw new InvalidJourneyException(
            "the count of '"
                + event
                + "' looks back "
                + within
                + "; a window is more than 0 and at most "
                + MAX_WINDOW.toDays()
                + " days");
      }
      InvalidJourneyException.requireNonNull(op, "operator of the count of '" + event + "'");
      if (!op.needsValue()) {
        throw new InvalidJourneyException(
            "the count of '" + event + "' uses '" + op.json() + "'; use eq, ne, lt, le, gt or ge");
      }
      if (count < 0) {
        throw new InvalidJourneyException(
            "the count of '" + event + "' is compared with " + count + "; counts are 0 or more");
      }
    }

    @Override
    public boolean test(Map<String, String> attributes, EventCounts events) {
      int n = events.count(event, within);
      return switch (op) {
        case EQ -> n == count;
        case NE -> n != count;
        case LT -> n < count;
        case LE -> n <= count;
        case GT -> n > count;
        case GE -> n >= count;
        default -> throw new IllegalStateException(op.name());
      };
    }

    @Override
    public int depth() {
      return 1;
    }

    @Override
    public boolean countsEvents() {
      return true;
    }

    @Override
    public String toString() {
      return "count(" + event + " within " + within + ") " + op.json() + " " + count;
    }
  }

  /** Every part holds. */
  record All(List<Segment> parts) implements Segment {
    public All {
      parts = checkParts(parts, "and");
    }

    @Override
    public boolean test(Map<String, String> attributes, EventCounts events) {
      return parts.stream().allMatch(p -> p.test(attributes, events));
    }

    @Override
    public int depth() {
      return 1 + parts.stream().mapToInt(Segment::depth).max().orElse(0);
    }

    @Override
    public boolean countsEvents() {
      return parts.stream().anyMatch(Segment::countsEvents);
    }
  }

  /** Some part holds. */
  record Any(List<Segment> parts) implements Segment {
    public Any {
      parts = checkParts(parts, "or");
    }

    @Override
    public boolean test(Map<String, String> attributes, EventCounts events) {
      return parts.stream().anyMatch(p -> p.test(attributes, events));
    }

    @Override
    public int depth() {
      return 1 + parts.stream().mapToInt(Segment::depth).max().orElse(0);
    }

    @Override
    public boolean countsEvents() {
      return parts.stream().anyMatch(Segment::countsEvents);
    }
  }

  /** The part does not hold. */
  record Not(Segment part) implements Segment {
    public Not {
      InvalidJourneyException.requireNonNull(part, "the segment under 'not'");
      checkDepth(1 + part.depth(), "not");
    }

    @Override
    public boolean test(Map<String, String> attributes, EventCounts events) {
      return !part.test(attributes, events);
    }

    @Override
    public int depth() {
      return 1 + part.depth();
    }

    @Override
    public boolean countsEvents() {
      return part.countsEvents();
    }
  }

  private static List<Segment> checkParts(List<Segment> parts, String op) {
    if (parts == null || parts.isEmpty()) {
      throw new InvalidJourneyException("'" + op + "' needs at least one part");
    }
    if (parts.stream().anyMatch(Objects::isNull)) {
      throw new InvalidJourneyException("'" + op + "' holds a null part");
    }
    checkDepth(1 + parts.stream().mapToInt(Segment::depth).max().orElse(0), op);
    return List.copyOf(parts);
  }

  private static void checkDepth(int depth, String op) {
    if (depth > Condition.MAX_DEPTH) {
      throw new InvalidJourneyException(
          "'" + op + "' nests " + depth + " deep; at most " + Condition.MAX_DEPTH);
    }
  }
}
