package dev.steward.calendar;

import dev.steward.delivery.EmailEventListener;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each SPAM_REPORT event as a complaint on the {@link CommunicationCalendar}, so the
 * complaint cool-down rule keeps later communications away. The account and contact come from the
 * event, else from the calendar entry of the event's message, else from the resolvers; events whose
 * account stays unknown are skipped. A repeated event records the same complaint once.
 */
public final class CalendarEventListener implements EmailEventListener {
  private static final Logger log = LoggerFactory.getLogger(CalendarEventListener.class);

  private final CommunicationCalendar calendar;
  private final Function<EmailAddress, Optional<ContactId>> contactResolver;
  private final Function<ContactId, Optional<AccountId>> accountResolver;

  private CalendarEventListener(Builder b) {
    this.calendar = b.calendar;
    this.contactResolver = b.contactResolver;
    this.accountResolver = b.accountResolver;
  }

  /** A listener over the calendar with no resolvers. */
  public static CalendarEventListener of(CommunicationCalendar calendar) {
    return builder(calendar).build();
  }

  /** A builder over the calendar. */
  public static Builder builder(CommunicationCalendar calendar) {
    return new Builder(calendar);
  }

  @Override
  public void onEvents(List<EmailEvent> events) {
    for (EmailEvent event : events) {
      if (event.type() == EmailEventType.SPAM_REPORT) {
        complaint(event);
      }
    }
  }

  private void complaint(EmailEvent event) {
    AccountId account = event.account();
    ContactId contact = event.contact();
    if ((account == null || contact == null) && event.messageId() != null) {
      Optional<CalendarEntry> sent = calendar.find(event.messageId().value());
      if (sent.isPresent()) {
        account = account != null ? account : sent.get().account();
        contact = contact != null ? contact : sent.get().contact();
      }
    }
    if (contact == null && event.email() != null) {
      contact = orEmpty(contactResolver.apply(event.email())).orElse(null);
    }
    if (account == null && contact != null) {
      account = orEmpty(accountResolver.apply(contact)).orElse(null);
    }
    if (account == null) {
      log.debug("spam report {} names no known account; not recorded", event.eventId());
      return;
    }
    calendar.recordComplaint(account, contact, event.occurredAt());
  }

  private static <T> Optional<T> orEmpty(Optional<T> value) {
    return value == null ? Optional.empty() : value;
  }

  /** Configures a {@link CalendarEventListener}. */
  public static final class Builder {
    private final CommunicationCalendar calendar;
    private Function<EmailAddress, Optional<ContactId>> contactResolver = e -> Optional.empty();
    private Function<ContactId, Optional<AccountId>> accountResolver = c -> Optional.empty();

    private Builder(CommunicationCalendar calendar) {
      this.calendar = Objects.requireNonNull(calendar, "calendar");
    }

    /** Finds the contact of an event that names only an email address; none by default. */
    public Builder contactResolver(Function<EmailAddress, Optional<ContactId>> resolver) {
      this.contactResolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** Finds the account of a contact when the event does not name it; none by default. */
    public Builder accountResolver(Function<ContactId, Optional<AccountId>> resolver) {
      this.accountResolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    public CalendarEventListener build() {
      return new CalendarEventListener(this);
    }
  }
}
