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

  /**
   * The seq of a message id in the journeys' scheme for enrolment {@code id} ({@code j-<id>-<seq>},
   * the seq written as {@link Integer#toString} writes it, so that {@link #of} gives {@code
   * message} back), or -1 for any other id.
   */
  static int seqOf(String id, String message) {
    int from = PREFIX.length() + id.length() + 1;
    int to = message.length();
    if (to <= from
        || to - from > 10
        || !message.startsWith(PREFIX)
        || !message.startsWith(id, PREFIX.length())
        || message.charAt(from - 1) != '-') {
      return -1;
    }
    return seqAt(message, from, to);
  }

  /**
   * The seq written in {@code text} from {@code from} to {@code to} as {@link Integer#toString}
   * writes a number of 0 or more (digits, no sign, no leading zero), or -1 for any other text.
   */
  static int seqAt(String text, int from, int to) {
    if (to <= from || to - from > 10 || (text.charAt(from) == '0' && to - from > 1)) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v > Integer.MAX_VALUE ? -1 : (int) v;
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
