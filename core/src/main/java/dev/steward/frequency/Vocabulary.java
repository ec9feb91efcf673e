package dev.steward.frequency;

/**
 * The names of send-log entries as small ints: categories and activity names (the label field of a
 * packed entry) and source teams (the team field). A limiter owns one, so two limiters in one JVM
 * share nothing; an in-memory store keeps its logs in the vocabulary of the first limiter that
 * writes it, and a log read from bytes or built from entries has one of its own until a limiter
 * binds it to its own ({@link SendLog#in}).
 */
final class Vocabulary {
  /** Categories and activity names. */
  final Interner labels = new Interner(SendLog.MAX_LABEL_ID, "categories and activity names");

  /** Source teams. */
  final Interner teams = new Interner(SendLog.MAX_TEAM_ID, "teams");
}
