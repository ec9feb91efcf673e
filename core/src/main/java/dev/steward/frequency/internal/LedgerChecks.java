package dev.steward.frequency.internal;

import dev.steward.frequency.CapLedgerStore;
import dev.steward.frequency.InvalidLimiterArgumentException;
import dev.steward.frequency.LedgerChange;
import dev.steward.frequency.SendLog;
import dev.steward.frequency.SubjectKey;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The argument checks every {@link CapLedgerStore} makes, so that the in-memory and the JDBC stores
 * refuse the same inputs with an {@link InvalidLimiterArgumentException} naming the argument. Keys
 * and logs need no more: {@link SubjectKey} and {@link LedgerEntry} hold only storable values.
 */
public final class LedgerChecks {
  private LedgerChecks() {}

  /** Fails unless {@code value} is non-null. */
  public static <T> T notNull(T value, String argument) {
    if (value == null) {
      throw new InvalidLimiterArgumentException(argument + " must not be null");
    }
    return value;
  }

  /**
   * Fails unless the subjects are non-null and distinct. The limiter passes one or two, which are
   * compared directly: no allocation on its path.
   */
  public static List<SubjectKey> subjects(List<SubjectKey> subjects) {
    notNull(subjects, "subjects");
    int n = subjects.size();
    if (n <= 2) {
      SubjectKey first = n == 0 ? null : notNull(subjects.get(0), "subject");
      if (n == 2 && notNull(subjects.get(1), "subject").equals(first)) {
        throw twice(first);
      }
      return subjects;
    }
    Set<SubjectKey> seen = new HashSet<>();
    for (SubjectKey s : subjects) {
      if (!seen.add(notNull(s, "subject"))) {
        throw twice(s);
      }
    }
    return subjects;
  }

  /** Fails unless a purge's arguments are a cutoff and a positive maximum. */
  public static void purge(Instant cutoff, int max) {
    notNull(cutoff, "cutoff");
    if (max < 1) {
      throw new InvalidLimiterArgumentException("max must be at least 1, was " + max);
    }
  }

  /** Fails unless a change's answer holds no logs, or one log per subject. */
  public static <R> LedgerChange<R> result(LedgerChange<R> result, int subjects) {
    if (result == null) {
      throw new InvalidLimiterArgumentException("change returned null");
    }
    List<SendLog> logs = result.newLogs();
    if (logs != null && logs.size() != subjects) {
      throw new InvalidLimiterArgumentException(
          "change returned " + logs.size() + " logs for " + subjects + " subjects");
    }
    return result;
  }

  private static InvalidLimiterArgumentException twice(SubjectKey s) {
    return new InvalidLimiterArgumentException(
        "subjects must be distinct; " + s + " appears twice");
  }
}
