package dev.steward.internal;

/**
 * What each element of a list of reasons says of its rule (gate, rule id, effect), read without
 * building the reasons: a listener that only counts rules (metrics) then leaves a lazily built
 * explanation unbuilt. Index {@code i} must describe exactly the list's element {@code i}. Generic
 * in the effect's type so that this package names none of the capability packages (no cycle).
 *
 * @param <O> the type of an effect (the delivery package's {@code Outcome})
 */
public interface RuleOutline<O> {
  /** The outline of a list of one reason: {@code gate}'s {@code rule}, with {@code effect}. */
  static <O> RuleOutline<O> of(String gate, String rule, O effect) {
    return new RuleOutline<O>() {
      @Override
      public int size() {
        return 1;
      }

      @Override
      public String gate(int i) {
        java.util.Objects.checkIndex(i, 1);
        return gate;
      }

      @Override
      public String rule(int i) {
        java.util.Objects.checkIndex(i, 1);
        return rule;
      }

      @Override
      public O effect(int i) {
        java.util.Objects.checkIndex(i, 1);
        return effect;
      }
    };
  }

  /** How many reasons the list holds. */
  int size();

  /** The gate of reason {@code i}. */
  String gate(int i);

  /** The rule id of reason {@code i}. */
  String rule(int i);

  /** The effect of reason {@code i}. */
  O effect(int i);
}
