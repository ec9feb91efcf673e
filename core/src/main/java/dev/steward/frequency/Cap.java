package dev.steward.frequency;

import dev.steward.model.Channel;
import dev.steward.model.MessageKind;
import java.util.List;
import java.util.Objects;

/**
 * One cap: at most {@code max} messages per window, counted per contact or per account, over the
 * messages its filter matches. With {@code perCategory} each category is counted on its own ("1 per
 * day per category"). A cap of 0 suppresses every message it matches.
 *
 * @param id a stable id used in reasons; derived from the other fields when not given
 */
public record Cap(
    String id, CapScope scope, int max, Window window, MessageFilter filter, boolean perCategory) {
  /** The largest cap accepted. */
  public static final int MAX_COUNT = 1_000_000;

  public Cap {
    if (scope == null) {
      throw new InvalidPolicyException("cap: scope must not be null");
    }
    if (window == null) {
      throw new InvalidPolicyException("cap: window must not be null");
    }
    filter = filter == null ? MessageFilter.ALL : filter;
    if (max < 0) {
      throw new InvalidPolicyException("cap: max must not be negative, was " + max);
    }
    if (max > MAX_COUNT) {
      throw new InvalidPolicyException("cap: max must be at most " + MAX_COUNT + ", was " + max);
    }
    if (id == null) {
      id = derivedId(scope, max, window, filter, perCategory);
    } else if (id.isBlank() || id.length() > 200) {
      throw new InvalidPolicyException("cap: id must have 1 to 200 characters, was '" + id + "'");
    } else if (id.equals("preference") || id.startsWith("preference-")) {
      // the limiter names the caps it derives from each contact's chosen frequency so
      throw new InvalidPolicyException(
          "cap: id '" + id + "' is reserved for the caps of contacts' chosen frequencies");
    }
  }

  /** At most {@code max} per window for each contact. */
  public static Cap perContact(int max, Window window) {
    return new Cap(null, CapScope.CONTACT, max, window, MessageFilter.ALL, false);
  }

  /** At most {@code max} per window for each account (all its contacts together). */
  public static Cap perAccount(int max, Window window) {
    return new Cap(null, CapScope.ACCOUNT, max, window, MessageFilter.ALL, false);
  }

  /** This cap with an explicit id. */
  public Cap withId(String id) {
    return new Cap(Objects.requireNonNull(id, "id"), scope, max, window, filter, perCategory);
  }

  /** This cap counting each category on its own ("1 per day per category"). */
  public Cap eachCategory() {
    return rebuild(filter, true);
  }

  /** This cap applied to (and counting) only these kinds. */
  public Cap onlyKinds(MessageKind... kinds) {
    return rebuild(filter.withKinds(List.of(kinds)), perCategory);
  }

  /** This cap applied to (and counting) only these categories. */
  public Cap onlyCategories(String... categories) {
    return rebuild(filter.withCategories(List.of(categories)), perCategory);
  }

  /** This cap applied to (and counting) only these channels. */
  public Cap onlyChannels(Channel... channels) {
    return rebuild(filter.withChannels(List.of(channels)), perCategory);
  }

  /** This cap applied to (and counting) only messages from these source teams. */
  public Cap onlyTeams(String... teams) {
    return rebuild(filter.withTeams(List.of(teams)), perCategory);
  }

  /** True when the id is the derived one (JSON then leaves it out). */
  boolean hasDerivedId() {
    return id.equals(derivedId(scope, max, window, filter, perCategory));
  }

  private Cap rebuild(MessageFilter newFilter, boolean newPerCategory) {
    return new Cap(hasDerivedId() ? null : id, scope, max, window, newFilter, newPerCategory);
  }

  static String derivedId(
      CapScope scope, int max, Window window, MessageFilter filter, boolean perCategory) {
    return scope.word()
        + "-"
        + max
        + "-per-"
        + window.label()
        + (perCategory ? "-per-category" : "")
        + filter.idSuffix();
  }
}
