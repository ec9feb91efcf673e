package dev.steward.frequency;

import java.util.List;

/**
 * What a {@link CapLedgerStore#update} function returns: its result, and the logs to write in the
 * order of the subjects given, or null to write nothing.
 */
public record LedgerChange<R>(R result, List<SendLog> newLogs) {
  public LedgerChange {
    newLogs = newLogs == null ? null : List.copyOf(newLogs);
  }

  /** A result that writes nothing. */
  public static <R> LedgerChange<R> unchanged(R result) {
    return new LedgerChange<>(result, null);
  }

  /** A result that writes {@code newLogs}. */
  public static <R> LedgerChange<R> write(R result, List<SendLog> newLogs) {
    return new LedgerChange<>(result, newLogs);
  }
}
