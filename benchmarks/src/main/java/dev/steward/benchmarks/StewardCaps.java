package dev.steward.benchmarks;

import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.Window;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

/**
 * Steward's side of the benchmark policy: "2 per rolling 7 days and 8 per 30 days per contact, 1
 * per day per contact and category, quiet hours 21:00 to 08:00 in the recipient's zone", and the
 * messages of the {@link Workload}, one per contact and category, built before measuring.
 */
public final class StewardCaps {

  /** Recipients' zones, assigned round-robin, so quiet hours fall at different instants. */
  static final List<ZoneId> ZONES =
      List.of(ZoneId.of("UTC"), ZoneId.of("America/Sao_Paulo"), ZoneId.of("Europe/Berlin"));

  /** Contacts per account (the policy has no account cap; messages still name one). */
  static final int CONTACTS_PER_ACCOUNT = 10;

  private final Message[] messages;

  /** Builds one PROMOTIONAL message per contact and category of {@code workload}. */
  public StewardCaps(Workload workload) {
    int categories = Workload.CATEGORIES.size();
    messages = new Message[Workload.CONTACTS * categories];
    TenantId tenant = TenantId.of("tenant-1");
    for (int contact = 0; contact < Workload.CONTACTS; contact++) {
      String id = workload.contactId(contact);
      ContactId contactId = ContactId.of(id);
      AccountId account = AccountId.of("account-" + contact / CONTACTS_PER_ACCOUNT);
      EmailAddress to = EmailAddress.of(id + "@example.com");
      ZoneId zone = ZONES.get(contact % ZONES.size());
      for (int category = 0; category < categories; category++) {
        messages[contact * categories + category] =
            Message.builder()
                .id(MessageId.of(id + "-" + category))
                .tenant(tenant)
                .account(account)
                .contact(contactId)
                .to(to)
                .recipientZone(zone)
                .kind(MessageKind.PROMOTIONAL)
                .category(Workload.CATEGORIES.get(category))
                .source(Source.MARKETING)
                .createdAt(SimulatedTime.START)
                .build();
      }
    }
  }

  /** The policy both sides approximate; quiet hours only Steward can express. */
  public static CapPolicy policy() {
    return CapPolicy.builder()
        .cap(Cap.perContact(2, Window.rolling(Duration.ofDays(7))))
        .cap(Cap.perContact(8, Window.rolling(Duration.ofDays(30))))
        .cap(Cap.perContact(1, Window.rolling(Duration.ofDays(1))).eachCategory())
        .quietHours(LocalTime.of(21, 0), LocalTime.of(8, 0))
        .build();
  }

  /** The message to {@code contact} in {@code category}. */
  public Message message(int contact, int category) {
    return messages[contact * Workload.CATEGORIES.size() + category];
  }
}
