package dev.steward.onboarding;

/**
 * Who moved a tenant or recorded a verdict: a person (a reviewer, a CSM) or a rule of the library
 * or of the ISV (the vetting checklist, a governance threshold).
 *
 * @param kind a person or a rule
 * @param name the person's identifier or the rule's name; 1 to 200 characters
 */
public record Actor(Kind kind, String name) {
  public Actor {
    if (kind == null) {
      throw new InvalidOnboardingInputException("actor kind must not be null");
    }
    name = Checks.text("actor name", name, 200);
  }

  /** A person, by the identifier the ISV knows them by. */
  public static Actor human(String name) {
    return new Actor(Kind.HUMAN, name);
  }

  /** An automatic rule, by its name. */
  public static Actor rule(String name) {
    return new Actor(Kind.RULE, name);
  }

  /** True for a person. */
  public boolean isHuman() {
    return kind == Kind.HUMAN;
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + name;
  }

  /** Whether an actor is a person or a rule. */
  public enum Kind {
    /** A person. */
    HUMAN,
    /** An automatic rule. */
    RULE
  }
}
