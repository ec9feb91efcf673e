package dev.steward.journey;

import dev.steward.model.MessageId;
import java.util.Optional;

/**
 * The ids of the messages journey steps send: {@code j-<enrolment>-<sequence number of the step's
 * change>}, so a repeated run of a step makes the same message, and an event on it names its
 * enrolment. One place for the scheme the scheduler writes and signals and analytics read.
 */
final class JourneyMessageIds {
  /** What every journey message id starts with. */
  static final String PREFIX = "j-";

  private JourneyMessageIds() {}

  /**
   * The id of the message the change numbered {@code seq} of enrolment {@code enrolmentId} sends.
   */
  static String of(String enrolmentId, int seq) {
    return PREFIX + enrolmentId + "-" + seq;
  }

  /** The enrolment a journey message id names; empty for an id of another scheme. */
  static Optional<String> enrolmentOf(String messageId) {
    int dash = messageId.lastIndexOf('-');
    if (!messageId.startsWith(PREFIX) || dash <= PREFIX.length()) {
      return Optional.empty();
    }
    return Optional.of(messageId.substring(PREFIX.length(), dash));
  }

  /** Whether {@code id} is a journey message's. */
  static boolean isJourneys(MessageId id) {
    return id.value().startsWith(PREFIX);
  }
}
