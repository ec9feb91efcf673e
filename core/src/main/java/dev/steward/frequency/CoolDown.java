package dev.steward.frequency;

import dev.steward.model.Channel;
import dev.steward.model.MessageKind;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A quiet period after an activity: no message its filter matches within {@code length} after the
 * activity was recorded for the contact (or, with {@link CapScope#ACCOUNT}, for the contact's
 * account). An activity at a blocks [a, a+length).
 *
 * @param id a stable id used in reasons; derived when not given
 * @param activity the activity name given to {@code recordActivity}
 */
public record CoolDown(
    String id, String activity, Duration length, CapScope scope, MessageFilter filter) {

  public CoolDown {
    if (activity == null || activity.isBlank() || activity.length() > 200) {
      throw new InvalidPolicyException(
          "cool-down: activity must have 1 to 200 characters, was '" + activity + "'");
    }
    if (length == null || length.isNegative() || length.isZero()) {
      throw new InvalidPolicyException("cool-down: length must be positive, was " + length);
    }
    if (length.getNano() != 0) {
      throw new InvalidPolicyException("cool-down: length must be whole seconds, was " + length);
    }
    if (length.compareTo(Window.MAX_LENGTH) > 0) {
      throw new InvalidPolicyException("cool-down: length must be at most " + Window.MAX_LENGTH);
    }
    if (scope == null) {
      throw new InvalidPolicyException("cool-down: scope must not be null");
    }
    filter = filter == null ? MessageFilter.ALL : filter;
    if (id == null) {
      id = derivedId(activity, length, scope, filter);
    } else if (id.isBlank() || id.length() > 200) {
      throw new InvalidPolicyException(
          "cool-down: id must have 1 to 200 characters, was '" + id + "'");
    }
  }

  /** No matching message to the contact within {@code length} after the contact's activity. */
  public static CoolDown afterContactActivity(String activity, Duration length) {
    return new CoolDown(null, activity, length, CapScope.CONTACT, MessageFilter.ALL);
  }

  /** No matching message to any contact of the account within {@code length} after its activity. */
  public static CoolDown afterAccountActivity(String activity, Duration length) {
    return new CoolDown(null, activity, length, CapScope.ACCOUNT, MessageFilter.ALL);
  }

  /** This cool-down with an explicit id. */
  public CoolDown withId(String id) {
    return new CoolDown(Objects.requireNonNull(id, "id"), activity, length, scope, filter);
  }

  /** This cool-down blocking only these kinds. */
  public CoolDown onlyKinds(MessageKind... kinds) {
    return rebuild(filter.withKinds(List.of(kinds)));
  }

  /** This cool-down blocking only these categories. */
  public CoolDown onlyCategories(String... categories) {
    return rebuild(filter.withCategories(List.of(categories)));
  }

  /** This cool-down blocking only these channels. */
  public CoolDown onlyChannels(Channel... channels) {
    return rebuild(filter.withChannels(List.of(channels)));
  }

  /** This cool-down blocking only messages from these teams. */
  public CoolDown onlyTeams(String... teams) {
    return rebuild(filter.withTeams(List.of(teams)));
  }

  boolean hasDerivedId() {
    return id.equals(derivedId(activity, length, scope, filter));
  }

  private CoolDown rebuild(MessageFilter newFilter) {
    return new CoolDown(hasDerivedId() ? null : id, activity, length, scope, newFilter);
  }

  static String derivedId(String activity, Duration length, CapScope scope, MessageFilter filter) {
    return "cool-down-"
        + Window.rolling(length).label()
        + "-after-"
        + scope.word()
        + "-"
        + activity
        + filter.idSuffix();
  }
}
