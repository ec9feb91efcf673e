package dev.steward.onboarding;

/**
 * One content check of a sample email (phase 3). Built-in checks are in {@link ContentChecks}; an
 * ISV adds its own (a classifier, a human queue) by implementing this. A check that throws is
 * recorded as needing review.
 */
public interface ContentCheck {
  /** A short, stable name (appears in findings). */
  String name();

  /** The result for {@code email} from the tenant described by {@code context}. */
  CheckResult check(SampleEmail email, ReviewContext context);
}
