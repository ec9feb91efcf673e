package dev.steward.schedule;

import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * One piece of due work as it is stored: what to run ({@link #key()}), with what ({@link
 * #payload()}, versioned JSON), when ({@link #dueAt()}) and how urgently ({@link #priority()}).
 *
 * @param key tenant, kind and id
 * @param subject what the work is about (a contact id, an account id), so that erasure or an
 *     opt-out can cancel all of a subject's work at once; empty when none
 * @param payload a JSON object, at most {@value #MAX_PAYLOAD} characters
 * @param payloadVersion the version of the payload's format, for handlers that read old items
 * @param dueAt when the work may run
 * @param priority among items due at the same time, higher runs first
 * @param attempts how many times a handler failed on it so far (0 for new work)
 * @param state READY or DEAD
 * @param lastError the last failure's description; empty when none
 */
public record WorkItem(
    WorkKey key,
    String subject,
    String payload,
    int payloadVersion,
    Instant dueAt,
    int priority,
    int attempts,
    WorkState state,
    String lastError) {

  /** The largest payload, in characters: work items carry references, not documents. */
  public static final int MAX_PAYLOAD = 1 << 20;

  /** The longest subject. */
  public static final int MAX_SUBJECT = 200;

  /** The longest error kept with an item; longer ones are cut. */
  public static final int MAX_ERROR = 2000;

  /**
   * Set on a thread while a store rebuilds an item from what it stored (see {@link #stored}): the
   * text and time checks ran when the item was stored, so they are not run again on every read.
   */
  private static final ThreadLocal<boolean[]> STORED =
      ThreadLocal.withInitial(() -> new boolean[1]);

  public WorkItem {
    if (key == null) {
      throw new InvalidWorkException("work key must not be null");
    }
    subject = subject == null ? "" : subject;
    boolean stored = STORED.get()[0];
    if (!stored) {
      subject = checked(key, subject, payload, dueAt);
    } else if (payload == null || dueAt == null) {
      throw new IllegalStateException("a stored item of " + key + " lacks its payload or due time");
    }
    if (payloadVersion < 1) {
      throw new InvalidWorkException(
          "payload version of " + key + " must be at least 1, was " + payloadVersion);
    }
    if (attempts < 0) {
      throw new InvalidWorkException("attempts of " + key + " must not be negative");
    }
    state = Objects.requireNonNullElse(state, WorkState.READY);
    lastError = !stored || lastError == null ? trimError(lastError) : lastError;
  }

  /**
   * An item rebuilt from what a store holds, which was an item (or a {@link Completion}) once and
   * so passed the checks of its key's kind and id, subject, payload and due time then: they are
   * skipped (the payload's JSON check is the dearest part of making an item, and an in-memory store
   * makes one on every read and claim). Only for stores in this package, with values they took from
   * checked ones.
   */
  static WorkItem stored(
      TenantId tenant,
      String kind,
      String id,
      String subject,
      String payload,
      int payloadVersion,
      Instant dueAt,
      int priority,
      int attempts,
      WorkState state,
      String lastError) {
    boolean[] flag = STORED.get();
    flag[0] = true;
    try {
      return new WorkItem(
          new WorkKey(tenant, kind, id),
          subject,
          payload,
          payloadVersion,
          dueAt,
          priority,
          attempts,
          state,
          lastError);
    } finally {
      flag[0] = false;
    }
  }

  /** Whether a store is rebuilding an item it holds on this thread (see {@link #stored}). */
  static boolean rebuilding() {
    return STORED.get()[0];
  }

  private static String checked(WorkKey key, String subject, String payload, Instant dueAt) {
    if (subject.length() > MAX_SUBJECT) {
      throw new InvalidWorkException(
          "subject of " + key + " is " + subject.length() + " characters; at most " + MAX_SUBJECT);
    }
    int bad = Checks.firstUnstorable(subject);
    if (bad >= 0) {
      throw new InvalidWorkException(
          "subject of " + key + " has a control character or half a surrogate pair at " + bad);
    }
    Payloads.check(key, payload);
    if (dueAt == null) {
      throw new InvalidWorkException("due time of " + key + " must not be null");
    }
    String problem = StoreLimits.instantProblem(dueAt); // the key's text only for a message
    if (problem != null) {
      throw new InvalidWorkException("due time of " + key + " " + problem);
    }
    return subject;
  }

  /** A builder of new (READY, never attempted) work. */
  public static Builder builder(TenantId tenant, String kind, String id) {
    return new Builder(WorkKey.of(tenant, kind, id));
  }

  /** A builder of new work for a key. */
  public static Builder builder(WorkKey key) {
    return new Builder(key);
  }

  /** This item as new work again: READY, no attempts, no error, due at {@code at}. */
  public WorkItem retriedAt(Instant at) {
    return new WorkItem(
        key, subject, payload, payloadVersion, at, priority, 0, WorkState.READY, "");
  }

  static String trimError(String error) {
    if (error == null) {
      return "";
    }
    // errors echo provider and event text: keep what every store can hold (no NUL, no lone
    // surrogate), so one odd message cannot fail the write of a whole batch of completions
    String safe = Checks.storable(error);
    if (safe.length() <= MAX_ERROR) {
      return safe;
    }
    int cut = MAX_ERROR - 3;
    if (Character.isHighSurrogate(safe.charAt(cut - 1))) {
      cut--;
    }
    return safe.substring(0, cut) + "...";
  }

  /** Builds new work items; the due time is the one thing without a default. */
  public static final class Builder {
    private final WorkKey key;
    private String subject = "";
    private String payload = "{}";
    private int payloadVersion = 1;
    private Instant dueAt;
    private int priority;

    private Builder(WorkKey key) {
      this.key = key;
    }

    /** What the work is about, so its subject's erasure cancels it. */
    public Builder subject(String subject) {
      this.subject = Objects.requireNonNull(subject, "subject");
      return this;
    }

    /** The payload: a JSON object; default {@code {}}. */
    public Builder payload(String json) {
      this.payload = json;
      return this;
    }

    /** The payload's format version; default 1. */
    public Builder payloadVersion(int version) {
      this.payloadVersion = version;
      return this;
    }

    /** When the work may run. */
    public Builder dueAt(Instant dueAt) {
      this.dueAt = dueAt;
      return this;
    }

    /** Higher runs first among items due at once; default 0. */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    public WorkItem build() {
      return new WorkItem(
          key, subject, payload, payloadVersion, dueAt, priority, 0, WorkState.READY, "");
    }
  }
}
