package dev.steward.schedule;

import dev.steward.model.TenantId;
import java.util.Objects;

/**
 * Names one work item: its tenant, its kind (which handler runs it) and its id within the kind.
 * Scheduling the same key again replaces or keeps the pending item, never adds a second one.
 *
 * @param tenant the tenant the work belongs to (its data, its fairness share)
 * @param kind the work's kind: lower-case letters, digits, '.', '_' or '-', at most {@value
 *     #MAX_KIND} characters, starting with a letter or digit
 * @param id the item's id within its tenant and kind: 1 to {@value #MAX_ID} characters, no control
 *     characters
 */
public record WorkKey(TenantId tenant, String kind, String id) {
  /** The longest kind name. */
  public static final int MAX_KIND = 100;

  /** The longest item id; ids derived from longer input should be hashed to fit. */
  public static final int MAX_ID = 200;

  public WorkKey {
    if (tenant == null) {
      throw new InvalidWorkException("work tenant must not be null");
    }
    if (WorkItem.rebuilding()) {
      // a store rebuilds the key of an item it holds (see WorkItem#stored): its kind and id passed
      // these checks when the item was scheduled, and every claim and read would run them again
      if (kind == null || id == null) {
        throw new IllegalStateException(
            "a stored work key of tenant " + tenant + " lacks its kind or id");
      }
    } else {
      check(kind, id);
    }
  }

  private static void check(String kind, String id) {
    checkKind(kind);
    if (id == null || id.isEmpty()) {
      throw new InvalidWorkException("work id of kind '" + kind + "' must not be empty");
    }
    if (id.length() > MAX_ID) {
      throw new InvalidWorkException(
          "work id of kind '"
              + kind
              + "' is "
              + id.length()
              + " characters long; at most "
              + MAX_ID
              + " fit");
    }
    int bad = Checks.firstUnstorable(id);
    if (bad >= 0) {
      throw new InvalidWorkException(
          "work id of kind '"
              + kind
              + "' has a control character or half a surrogate pair at "
              + bad
              + "; no store keeps it exactly");
    }
  }

  /** Shorthand for the constructor. */
  public static WorkKey of(TenantId tenant, String kind, String id) {
    return new WorkKey(tenant, kind, id);
  }

  /** Checks a kind name; returns it. */
  static String checkKind(String kind) {
    if (kind == null || kind.isEmpty()) {
      throw new InvalidWorkException("work kind must not be empty");
    }
    if (kind.length() > MAX_KIND) {
      throw new InvalidWorkException(
          "work kind is " + kind.length() + " characters long; at most " + MAX_KIND + " fit");
    }
    for (int i = 0; i < kind.length(); i++) {
      char c = kind.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || (i > 0 && (c == '.' || c == '_' || c == '-'));
      if (!ok) {
        throw new InvalidWorkException(
            "work kind '"
                + kind
                + "' has '"
                + c
                + "' at "
                + i
                + "; use lower-case letters, digits, '.', '_' and '-'");
      }
    }
    return kind;
  }

  @Override
  public String toString() {
    return Objects.toString(tenant) + "/" + kind + "/" + id;
  }
}
