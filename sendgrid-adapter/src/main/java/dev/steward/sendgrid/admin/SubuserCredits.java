package dev.steward.sendgrid.admin;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A subuser's credits as SendGrid holds them ({@code GET /v3/subusers/{name}/credits}): the
 * server-side backstop of the pilot's daily cap.
 *
 * @param type {@code unlimited}, {@code recurring} or {@code nonrecurring}
 * @param resetFrequency for recurring credits: {@code daily}, {@code weekly} or {@code monthly}
 * @param total the credits per period, when limited
 * @param remaining the credits left, when limited
 * @param used the credits used in this period, when SendGrid says
 */
public record SubuserCredits(
    String type,
    Optional<String> resetFrequency,
    OptionalLong total,
    OptionalLong remaining,
    OptionalLong used) {
  /** Checks the parts. */
  public SubuserCredits {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(resetFrequency, "resetFrequency");
    Objects.requireNonNull(total, "total");
    Objects.requireNonNull(remaining, "remaining");
    Objects.requireNonNull(used, "used");
  }

  /** True when the credits reset every day to {@code total}: the pilot's backstop is in place. */
  public boolean isDailyLimit() {
    return type.equals("recurring") && resetFrequency.equals(Optional.of("daily"));
  }
}
