package dev.steward.journey;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A predicate over a contact's attributes, as data: comparisons of one attribute with a value,
 * combined with and, or and not. Values compare as numbers when both sides are numbers, as dates
 * when both are ISO dates ({@code 2026-03-02}), else as text. A comparison with a missing attribute
 * is false, except {@link Op#MISSING}.
 */
public sealed interface Condition {

  /** The deepest nesting a condition may have: deeper ones cannot be written as JSON. */
  int MAX_DEPTH = 32;

  /** Whether the attributes satisfy the condition. */
  boolean test(Map<String, String> attributes);

  /** How deeply the condition nests: 1 for a comparison. */
  int depth();

  /** The comparison operators. */
  enum Op {
    EQ,
    NE,
    LT,
    LE,
    GT,
    GE,
    EXISTS,
    MISSING;

    /** The operator's name in JSON ({@code eq}, {@code exists}, ...). */
    String json() {
      return name().toLowerCase(Locale.ROOT);
    }

    boolean needsValue() {
      return this != EXISTS && this != MISSING;
    }
  }

  /** {@code attribute op value}. */
  static Condition compare(String attribute, Op op, String value) {
    return new Compare(attribute, op, value);
  }

  /** {@code attribute == value}. */
  static Condition eq(String attribute, String value) {
    return new Compare(attribute, Op.EQ, value);
  }

  /** True when the attribute has a value. */
  static Condition exists(String attribute) {
    return new Compare(attribute, Op.EXISTS, null);
  }

  /** True when every part is. */
  static Condition and(Condition... parts) {
    return new And(List.of(parts));
  }

  /** True when any part is. */
  static Condition or(Condition... parts) {
    return new Or(List.of(parts));
  }

  /** True when {@code part} is not. */
  static Condition not(Condition part) {
    return new Not(part);
  }

  /**
   * One attribute compared with a value.
   *
   * @param value the value compared with; null for {@link Op#EXISTS} and {@link Op#MISSING}
   */
  record Compare(String attribute, Op op, String value) implements Condition {
    public Compare {
      if (attribute == null || attribute.isBlank()) {
        throw new InvalidJourneyException("a condition's attribute must not be blank");
      }
      InvalidJourneyException.requireNonNull(
          op, "operator of the condition on '" + attribute + "'");
      if (op.needsValue() && value == null) {
        throw new InvalidJourneyException(
            "the condition '" + attribute + " " + op.json() + "' needs a value");
      }
      if (!op.needsValue() && value != null) {
        throw new InvalidJourneyException(
            "the condition '" + attribute + " " + op.json() + "' takes no value");
      }
      // compared with stored attributes and written into history: storable like them
      ContactProfile.checkAttribute(attribute, "attribute of a condition");
      if (value != null) {
        ContactProfile.checkAttribute(value, "value of the condition on '" + attribute + "'");
      }
    }

    @Override
    public int depth() {
      return 1;
    }

    @Override
    public boolean test(Map<String, String> attributes) {
      String actual = attributes.get(attribute);
      if (op == Op.EXISTS) {
        return actual != null;
      }
      if (op == Op.MISSING) {
        return actual == null;
      }
      if (actual == null) {
        return false;
      }
      int c = compareValues(actual, value);
      return switch (op) {
        case EQ -> c == 0;
        case NE -> c != 0;
        case LT -> c < 0;
        case LE -> c <= 0;
        case GT -> c > 0;
        case GE -> c >= 0;
        default -> throw new IllegalStateException(op.name());
      };
    }

    private static int compareValues(String a, String b) {
      BigDecimal x = number(a);
      BigDecimal y = number(b);
      if (x != null && y != null) {
        return x.compareTo(y);
      }
      LocalDate d = date(a);
      LocalDate e = date(b);
      if (d != null && e != null) {
        return d.compareTo(e);
      }
      return a.compareTo(b);
    }

    private static BigDecimal number(String s) {
      try {
        return new BigDecimal(s.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }

    private static LocalDate date(String s) {
      try {
        return LocalDate.parse(s.strip());
      } catch (DateTimeParseException e) {
        return null;
      }
    }

    @Override
    public String toString() {
      return attribute + " " + op.json() + (value == null ? "" : " '" + value + "'");
    }
  }

  /** Every part holds. */
  record And(List<Condition> parts) implements Condition {
    public And {
      parts = checkParts(parts, "and");
    }

    @Override
    public int depth() {
      return 1 + parts.stream().mapToInt(Condition::depth).max().orElse(0);
    }

    @Override
    public boolean test(Map<String, String> attributes) {
      return parts.stream().allMatch(p -> p.test(attributes));
    }
  }

  /** Some part holds. */
  record Or(List<Condition> parts) implements Condition {
    public Or {
      parts = checkParts(parts, "or");
    }

    @Override
    public int depth() {
      return 1 + parts.stream().mapToInt(Condition::depth).max().orElse(0);
    }

    @Override
    public boolean test(Map<String, String> attributes) {
      return parts.stream().anyMatch(p -> p.test(attributes));
    }
  }

  /** The part does not hold. */
  record Not(Condition part) implements Condition {
    public Not {
      InvalidJourneyException.requireNonNull(part, "the condition under 'not'");
      checkDepth(1 + part.depth(), "not");
    }

    @Override
    public int depth() {
      return 1 + part.depth();
    }

    @Override
    public boolean test(Map<String, String> attributes) {
      return !part.test(attributes);
    }
  }

  private static List<Condition> checkParts(List<Condition> parts, String op) {
    if (parts == null || parts.isEmpty()) {
      throw new InvalidJourneyException("'" + op + "' needs at least one condition");
    }
    if (parts.stream().anyMatch(Objects::isNull)) {
      throw new InvalidJourneyException("'" + op + "' holds a null condition");
    }
    checkDepth(1 + parts.stream().mapToInt(Condition::depth).max().orElse(0), op);
    return List.copyOf(parts);
  }

  private static void checkDepth(int depth, String op) {
    if (depth > MAX_DEPTH) {
      throw new InvalidJourneyException(
          "'" + op + "' nests conditions " + depth + " deep; at most " + MAX_DEPTH);
    }
  }
}
