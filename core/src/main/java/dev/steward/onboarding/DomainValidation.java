package dev.steward.onboarding;

import java.util.List;

/**
 * What the provider found when it validated a domain authentication, record by record.
 *
 * @param id the authentication's identifier
 * @param valid true when every record is in place
 * @param records one result per record
 */
public record DomainValidation(String id, boolean valid, List<RecordResult> records) {
  public DomainValidation {
    id = Checks.text("id", id, 200);
    records = List.copyOf(Checks.notNull("records", records));
  }

  /**
   * One record's validation.
   *
   * @param record the record expected
   * @param valid whether it was found as expected
   * @param reason what was found instead, or empty
   */
  public record RecordResult(DomainAuthentication.DnsRecord record, boolean valid, String reason) {
    public RecordResult {
      Checks.notNull("record", record);
      Checks.notNull("reason", reason);
    }
  }
}
