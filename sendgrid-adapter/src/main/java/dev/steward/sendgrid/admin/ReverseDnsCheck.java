package dev.steward.sendgrid.admin;

import java.util.Objects;
import java.util.Optional;

/**
 * What SendGrid found when it validated a reverse DNS set-up ({@code POST
 * /v3/whitelabel/ips/{id}/validate}).
 *
 * @param id the set-up's id
 * @param valid SendGrid's verdict on the whole
 * @param aRecordValid whether SendGrid could validate the A record
 * @param reason SendGrid's reason when it could not
 */
public record ReverseDnsCheck(
    long id, boolean valid, boolean aRecordValid, Optional<String> reason) {
  /** Checks the reason. */
  public ReverseDnsCheck {
    Objects.requireNonNull(reason, "reason");
  }
}
