package dev.steward.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** What a handler says happens next to the item it ran. */
public final class Next {
  /** The four answers. */
  public enum Action {
    /** Finished: the item leaves the store. */
    DONE,
    /** Run again at a time, perhaps with a new payload; not a failure. */
    RESCHEDULE,
    /** This attempt failed; try again after the kind's back-off (or at a given time). */
    RETRY,
    /** Give up now: the item goes DEAD with its error. */
    FAIL
  }

  private static final Next DONE = new Next(Action.DONE, null, null, null, null);

  private final Action action;
  private final Instant at;
  private final Duration after;
  private final String payload;
  private final String error;

  private Next(Action action, Instant at, Duration after, String payload, String error) {
    this.action = action;
    this.at = at;
    this.after = after;
    this.payload = payload;
    this.error = error;
  }

  /** The work is finished. */
  public static Next done() {
    return DONE;
  }

  /** Run again at {@code at} with the same payload. */
  public static Next rescheduleAt(Instant at) {
    return new Next(Action.RESCHEDULE, Objects.requireNonNull(at, "at"), null, null, null);
  }

  /** Run again at {@code at} with a new payload (JSON object text). */
  public static Next rescheduleAt(Instant at, String payloadJson) {
    return new Next(
        Action.RESCHEDULE,
        Objects.requireNonNull(at, "at"),
        null,
        Objects.requireNonNull(payloadJson, "payloadJson"),
        null);
  }

  /** This attempt failed; retry after the kind's back-off, or give up when attempts run out. */
  public static Next retry(String error) {
    return new Next(Action.RETRY, null, null, null, Objects.requireNonNull(error, "error"));
  }

  /** This attempt failed; retry after {@code after} (say, a provider's Retry-After). */
  public static Next retryAfter(Duration after, String error) {
    if (after == null || after.isNegative()) {
      throw new InvalidWorkException("retry delay must not be negative, was " + after);
    }
    return new Next(Action.RETRY, null, after, null, Objects.requireNonNull(error, "error"));
  }

  /** Give up: the item goes DEAD, kept with {@code error} for operators. */
  public static Next fail(String error) {
    return new Next(Action.FAIL, null, null, null, Objects.requireNonNull(error, "error"));
  }

  public Action action() {
    return action;
  }

  /** The time of a RESCHEDULE. */
  public Optional<Instant> at() {
    return Optional.ofNullable(at);
  }

  /** The delay a RETRY asked for, if any. */
  public Optional<Duration> after() {
    return Optional.ofNullable(after);
  }

  /** The new payload of a RESCHEDULE, if it changes. */
  public Optional<String> payload() {
    return Optional.ofNullable(payload);
  }

  /** The error of a RETRY or FAIL. */
  public Optional<String> error() {
    return Optional.ofNullable(error);
  }

  @Override
  public String toString() {
    return switch (action) {
      case DONE -> "done";
      case RESCHEDULE -> "reschedule at " + at;
      case RETRY -> "retry" + (after == null ? "" : " after " + after) + ": " + error;
      case FAIL -> "fail: " + error;
    };
  }
}
