package dev.steward.ippool;

import dev.steward.model.MessageKind;

/**
 * A tenant's mail stream: transactional and marketing mail of one tenant may use different pools,
 * so that a marketing problem does not delay receipts and password resets.
 */
public enum Stream {
  /** Mail the recipient expects because of something they did: receipts, resets, alerts. */
  TRANSACTIONAL,
  /** Everything else: newsletters, promotions, education, relationship mail. */
  MARKETING;

  /** The stream of a message kind: transactional and operational mail are transactional. */
  public static Stream of(MessageKind kind) {
    InvalidIpPoolException.requireNonNull(kind, "message kind");
    return switch (kind) {
      case TRANSACTIONAL, OPERATIONAL -> TRANSACTIONAL;
      default -> MARKETING;
    };
  }
}
