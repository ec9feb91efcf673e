package dev.steward.onboarding;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What happens to a terminated tenant's mail and data (onboarding's phase 8, the end of service).
 *
 * <ul>
 *   <li><b>Grace.</b> For {@link #grace()} after the tenant entered {@link
 *       OnboardingState#TERMINATED} (default {@link #DEFAULT_GRACE}, zero for none), its {@link
 *       dev.steward.model.MessageKind#TRANSACTIONAL} mail still passes the {@link TenantGate}
 *       (under the sender check), so its end users still get receipts and password resets. Every
 *       other kind is refused from the moment of termination, with a reason naming this policy;
 *       mail deferred before the termination is refused the same way when it comes due.
 *   <li><b>At termination.</b> The {@link EndOfServiceListener}s are told, at least once, as due
 *       work, so the ISV can disable the subuser and revoke its keys.
 *   <li><b>Retention.</b> {@link #retention()} after termination (default {@link
 *       #DEFAULT_RETENTION}) the tenant's data is erased ({@code Steward.eraseTenant}) as due work,
 *       once across instances; empty for a legal hold, when the data is kept until a person erases
 *       it.
 * </ul>
 *
 * @param grace how long transactional mail still passes after termination (zero: none)
 * @param retention how long the tenant's data is kept after termination; empty keeps it (a legal
 *     hold)
 */
public record EndOfServicePolicy(Duration grace, Optional<Duration> retention) {

  /** The default grace for transactional mail: 14 days. */
  public static final Duration DEFAULT_GRACE = Duration.ofDays(14);

  /** The default retention of a terminated tenant's data: 90 days. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);

  /** The longest grace or retention accepted: ten years (a longer one is a mistaken unit). */
  public static final Duration MAX_PERIOD = Duration.ofDays(3653);

  /**
   * Validates the policy.
   *
   * @throws InvalidOnboardingInputException naming {@code grace} or {@code retention} if negative,
   *     longer than {@link #MAX_PERIOD}, or a retention shorter than the grace (the data would be
   *     gone while mail still passes)
   */
  public EndOfServicePolicy {
    Checks.notNull("grace", grace);
    Checks.notNull("retention", retention);
    if (grace.isNegative() || grace.compareTo(MAX_PERIOD) > 0) {
      throw new InvalidOnboardingInputException(
          "grace must be zero to " + MAX_PERIOD.toDays() + " days, was " + grace);
    }
    if (retention.isPresent()) {
      Duration r = retention.get();
      if (r.isNegative() || r.compareTo(MAX_PERIOD) > 0) {
        throw new InvalidOnboardingInputException(
            "retention must be zero to " + MAX_PERIOD.toDays() + " days, was " + r);
      }
      if (r.compareTo(grace) < 0) {
        throw new InvalidOnboardingInputException(
            "retention "
                + r
                + " is shorter than the grace "
                + grace
                + ": the tenant's data would be erased while its transactional mail still passes");
      }
    }
  }

  /** The defaults: {@link #DEFAULT_GRACE} of transactional mail, {@link #DEFAULT_RETENTION}. */
  public static EndOfServicePolicy ofDefaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** True if the data is kept until a person erases it. */
  public boolean legalHold() {
    return retention.isEmpty();
  }

  /** The end of the grace for a tenant terminated at {@code terminatedAt}. */
  public Instant graceUntil(Instant terminatedAt) {
    return terminatedAt.plus(grace);
  }

  /** When a tenant terminated at {@code terminatedAt} is erased; empty under a legal hold. */
  public Optional<Instant> eraseAt(Instant terminatedAt) {
    return retention.map(terminatedAt::plus);
  }

  /** Configures an {@link EndOfServicePolicy}. */
  public static final class Builder {
    private Duration grace = DEFAULT_GRACE;
    private Optional<Duration> retention = Optional.of(DEFAULT_RETENTION);

    private Builder() {}

    /** The grace for transactional mail (default {@link #DEFAULT_GRACE}; zero for none). */
    public Builder grace(Duration grace) {
      this.grace = Checks.notNull("grace", grace);
      return this;
    }

    /** How long the data is kept after termination (default {@link #DEFAULT_RETENTION}). */
    public Builder retention(Duration retention) {
      this.retention = Optional.of(Checks.notNull("retention", retention));
      return this;
    }

    /** Keeps the data until a person erases it (a legal hold): no automatic erasure. */
    public Builder legalHold() {
      this.retention = Optional.empty();
      return this;
    }

    /**
     * The policy.
     *
     * @throws InvalidOnboardingInputException naming the value that is wrong
     */
    public EndOfServicePolicy build() {
      return new EndOfServicePolicy(grace, retention);
    }
  }
}
