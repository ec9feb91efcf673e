package dev.steward.calendar;

import dev.steward.calendar.CalendarEntry.Status;
import dev.steward.calendar.CalendarEntry.Type;
import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import java.time.Instant;

/** Entries for the calendar tests. */
final class CalendarFixtures {
  static final TenantId TENANT = TenantId.of("isv-tenant");
  static final AccountId GLOBEX = AccountId.of("globex");
  static final AccountId INITECH = AccountId.of("initech");
  static final ContactId ANA = ContactId.of("ana");
  static final ContactId BOB = ContactId.of("bob");

  private CalendarFixtures() {}

  static CalendarEntry to(String id, String team, ContactId contact, String at) {
    return to(id, team, contact, MessageKind.EDUCATIONAL, at);
  }

  static CalendarEntry to(String id, String team, ContactId contact, MessageKind kind, String at) {
    return CalendarEntry.of(
        TENANT,
        id,
        Type.COMMUNICATION,
        Status.SCHEDULED,
        GLOBEX,
        contact,
        team,
        kind,
        "tips",
        Channel.EMAIL,
        null,
        Instant.parse(at));
  }

  static CalendarEntry campaign(
      String id, AccountId account, ContactId contact, String campaign, String at) {
    return CalendarEntry.of(
        TENANT,
        id,
        Type.COMMUNICATION,
        Status.SCHEDULED,
        account,
        contact,
        "marketing",
        MessageKind.PROMOTIONAL,
        "offers",
        Channel.EMAIL,
        campaign,
        Instant.parse(at));
  }
}
