package dev.steward.sendgrid.admin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What SendGrid found when it validated a domain authentication ({@code POST
 * /v3/whitelabel/domains/{id}/validate}).
 *
 * @param id the authentication's id
 * @param valid SendGrid's verdict on the whole
 * @param results each record's result by SendGrid's name of it ({@code mail_cname}, {@code dkim1},
 *     ...), in SendGrid's order
 */
public record DomainCheck(long id, boolean valid, Map<String, RecordCheck> results) {
  /** Copies the results, keeping their order. */
  public DomainCheck {
    results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
  }

  /**
   * One record's result.
   *
   * @param valid whether SendGrid found it as expected
   * @param reason SendGrid's reason when it did not
   */
  public record RecordCheck(boolean valid, Optional<String> reason) {
    /** Checks the reason. */
    public RecordCheck {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
