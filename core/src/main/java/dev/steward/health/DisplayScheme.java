package dev.steward.health;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How a 0–100 score is shown, separate from how measures are mapped: numeric, grades (A–F) or colours
 * (red/yellow/green). Bands are half-open {@code [from, to)} (the top band holds 100) and must cover
 * 0..100 exactly, without overlap or gap.
 */
public record DisplayScheme(String name, List<Band> bands) {

  /** Grades: F [0, 60), D [60, 70), C [70, 80), B [80, 90), A [90, 100]. */
  public static final DisplayScheme GRADES =
      new DisplayScheme(
          "grades",
          List.of(
              new Band("F", 0, 60),
              new Band("D", 60, 70),
              new Band("C", 70, 80),
              new Band("B", 80, 90),
              new Band("A", 90, 100)));

  /** Colours: red [0, 40), yellow [40, 70), green [70, 100]. */
  public static final DisplayScheme COLOURS =
      new DisplayScheme(
          "colours",
          List.of(new Band("red", 0, 40), new Band("yellow", 40, 70), new Band("green", 70, 100)));

  /** Numeric: one band; the score is shown as its rounded number. */
  public static final DisplayScheme NUMERIC =
      new DisplayScheme("numeric", List.of(new Band("score", 0, 100)));

  public DisplayScheme {
    if (name == null || name.isBlank()) {
      throw new InvalidScorecardException("display scheme name must not be blank");
    }
    if (bands == null || bands.isEmpty()) {
      throw new InvalidScorecardException("display scheme '" + name + "' has no bands");
    }
    List<Band> sorted = new ArrayList<>(bands);
    sorted.sort(Comparator.comparingDouble(Band::from));
    for (int i = 1; i < sorted.size(); i++) {
      Band prev = sorted.get(i - 1);
      Band next = sorted.get(i);
      if (next.label().equals(prev.label())) {
        throw new InvalidScorecardException(
            "display scheme '" + name + "': duplicate band label '" + next.label() + "'");
      }
      if (next.from() < prev.to()) {
        throw new InvalidScorecardException(
            "display scheme '" + name + "': band " + prev + " overlaps band " + next);
      }
      if (next.from() > prev.to()) {
        throw new InvalidScorecardException(
            "display scheme '"
                + name
                + "': gap between band "
                + prev
                + " and band "
                + next
                + "; bands must cover 0..100");
      }
    }
    if (sorted.get(0).from() != 0 || sorted.get(sorted.size() - 1).to() != 100) {
      throw new InvalidScorecardException(
          "display scheme '" + name + "': bands must cover 0..100, they cover ["
              + sorted.get(0).from() + ", " + sorted.get(sorted.size() - 1).to() + ")");
    }
    bands = List.copyOf(sorted);
  }

  /** The built-in scheme of that name: numeric, grades or colours. */
  public static DisplayScheme named(String name) {
    switch (name) {
      case "numeric":
        return NUMERIC;
      case "grades":
        return GRADES;
      case "colours":
      case "colors":
        return COLOURS;
      default:
        throw new InvalidScorecardException(
            "display scheme '" + name + "' is not built in; known: numeric, grades, colours");
    }
  }

  /** The band of a score from 0 to 100. */
  public Band bandOf(double score) {
    if (!(score >= 0 && score <= 100)) {
      throw new IllegalArgumentException("score must be within 0..100, got " + score);
    }
    for (int i = 0, n = bands.size(); i < n; i++) {
      Band b = bands.get(i);
      if (b.contains(score)) {
        return b;
      }
    }
    throw new AssertionError("bands cover 0..100");
  }

  /** The text shown for a score: its band label, or for the numeric scheme the rounded number. */
  public String display(double score) {
    return bands.size() == 1 ? Long.toString(Math.round(score)) : bandOf(score).label();
  }
}
