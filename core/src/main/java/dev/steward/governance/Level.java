package dev.steward.governance;

import java.util.Locale;

/** A rung of the escalation ladder, from no action to termination, in rising order. */
public enum Level {
  /** In good standing: no action. */
  NONE,
  /** Warned: the tenant is told (and flagged for outreach); sending goes on. */
  WARN,
  /** Restricted: the warm-up ramp is frozen and the daily cap cut. */
  RESTRICT,
  /** Quarantined: the tenant's mail moves to the quarantine pool, away from shared pools. */
  QUARANTINE,
  /** Suspended: no mail is sent until a human has reviewed the tenant. */
  SUSPEND,
  /** Terminated: end of service. Never automatic: a human decides it by an override. */
  TERMINATE;

  /** The name in JSON: {@code warn}, {@code restrict}, ... */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The level of a JSON name, naming the unknown one. */
  public static Level parse(String name) {
    if (name != null) {
      for (Level l : values()) {
        if (l.jsonName().equals(name.strip().toLowerCase(Locale.ROOT))) {
          return l;
        }
      }
    }
    throw new InvalidLadderException(
        "unknown level '"
            + name
            + "'; known levels are none, warn, restrict, quarantine, suspend, terminate");
  }

  /** True if this level is above {@code other}. */
  public boolean isAbove(Level other) {
    return compareTo(other) > 0;
  }
}
