package dev.steward.health;

/** Why a measure was left out of a score (its weight then spread over the present measures). */
public enum Exclusion {
  /** No observation for the measure. */
  MISSING,
  /** The observation is older than the measure's freshness limit. */
  STALE,
  /** The observation lies after the scoring time, so it was not yet known then. */
  NOT_YET_OBSERVED,
  /** The observed value is NaN or infinite. */
  NOT_A_NUMBER,
  /** The measure's whole group had weight 0 or only zero-weight measures with data. */
  NO_WEIGHT
}
