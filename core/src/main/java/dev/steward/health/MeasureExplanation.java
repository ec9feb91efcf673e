package dev.steward.health;

/**
 * How one measure contributed to a score.
 *
 * @param group the group's id, or null for an ungrouped measure
 * @param raw the raw value used (after decay), NaN when there was none
 * @param normalised the mapped score 0–100, NaN when left out
 * @param nominalWeight the weight as configured (within its group for grouped measures)
 * @param nominalShare the share, 0 to 1, of the total score the measure has with all data present
 * @param effectiveWeight the share, 0 to 1, it actually had after the weight of absent measures was
 *     spread; 0 when left out
 * @param points {@code effectiveWeight * normalised}; the points of all measures sum to the score
 * @param contribution {@code effectiveWeight * (normalised - 50)}, signed: how far the measure pushed
 *     the score above or below the neutral 50; the score is 50 plus their sum
 * @param exclusion why it was left out, or null when it counted
 * @param detail words for people about the exclusion (for example the data's age), or empty
 */
public record MeasureExplanation(
    String measureId,
    String group,
    double raw,
    double normalised,
    double nominalWeight,
    double nominalShare,
    double effectiveWeight,
    double points,
    double contribution,
    Exclusion exclusion,
    String detail) {

  /** True if the measure counted in the score. */
  public boolean included() {
    return exclusion == null;
  }
}
