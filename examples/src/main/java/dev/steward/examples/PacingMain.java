package dev.steward.examples;

import dev.steward.consent.ConsentEventListener;
import dev.steward.consent.ConsentGate;
import dev.steward.consent.ConsentStore;
import dev.steward.consent.PreferenceCentre;
import dev.steward.consent.SuppressionListener;
import dev.steward.consent.SuppressionStore;
import dev.steward.delivery.AcceptResult;
import dev.steward.delivery.DispatchListener;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.EventIngestor;
import dev.steward.delivery.LedgerReconciler;
import dev.steward.delivery.Reason;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.CoolDown;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.FrequencyGate;
import dev.steward.frequency.Window;
import dev.steward.jdbc.JdbcCapLedgerStore;
import dev.steward.jdbc.JdbcConsentStore;
import dev.steward.jdbc.JdbcDeliveryLedger;
import dev.steward.jdbc.JdbcEventInbox;
import dev.steward.jdbc.JdbcSuppressionStore;
import dev.steward.jdbc.JdbcWorkStore;
import dev.steward.jdbc.StewardSchema;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkState;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The pacing example: several teams send to three contacts through consent and frequency caps, on
 * the embedded default (H2, a dry-run transport, a simulated clock). Every decision is printed with
 * its reasons; deferred messages are sent, or suppressed, when their time comes.
 */
public final class PacingMain {
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("EEE d MMM HH:mm");
  private static final TenantId TENANT = TenantId.of("northwind-isv");

  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T13:00:00Z"));
  private final RecordingTransport transport = RecordingTransport.of();
  private final Dispatcher dispatcher;
  private final FrequencyCapLimiter limiter;
  private final PreferenceCentre preferences;
  private final EventIngestor ingestor;
  private final JdbcWorkStore work;
  private final ManualWorkDriver dueWork;
  private final List<DispatchResult> results = new ArrayList<>();

  private PacingMain() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:steward-pacing;DB_CLOSE_DELAY=-1");
    StewardSchema.bootstrap(h2);
    work = JdbcWorkStore.of(h2);

    ConsentStore consent = JdbcConsentStore.of(h2);
    SuppressionStore suppressions = JdbcSuppressionStore.of(h2);
    preferences = PreferenceCentre.of(consent, clock);

    // The house rules: at most 2 per rolling week and 1 per category per day for each contact,
    // nothing at night in the recipient's zone, no promotions for 48 h after a support ticket
    // closes. Transactional mail is exempt by default.
    CapPolicy policy =
        CapPolicy.builder()
            .cap(Cap.perContact(2, Window.rolling(Duration.ofDays(7))))
            .cap(Cap.perContact(1, Window.day()).eachCategory())
            .quietHours(LocalTime.of(21, 0), LocalTime.of(8, 0))
            .coolDown(
                CoolDown.afterContactActivity("support-ticket-closed", Duration.ofHours(48))
                    .onlyKinds(MessageKind.PROMOTIONAL))
            .build();
    limiter =
        FrequencyCapLimiter.builder(JdbcCapLedgerStore.of(h2), clock)
            .policy(policy)
            .consent(consent)
            .build();

    dispatcher =
        Dispatcher.builder(transport, clock)
            .gate(ConsentGate.of(consent, suppressions)) // the address first, then the contact
            .gate(FrequencyGate.of(limiter))
            .workStore(work)
            .ledger(JdbcDeliveryLedger.of(h2))
            .listener(
                new DispatchListener() {
                  @Override
                  public void onResult(DispatchResult result) {
                    results.add(result);
                  }
                })
            .build();
    JdbcEventInbox inbox = JdbcEventInbox.of(h2);
    ingestor =
        EventIngestor.builder(inbox, clock)
            .listener("ledger", LedgerReconciler.of(dispatcher, clock)) // settles unknown sends
            .listener("consent", ConsentEventListener.builder(preferences).build())
            // SendGrid's events name the address only: the suppression list keeps them by address
            .listener("suppressions", SuppressionListener.builder(suppressions, clock).build())
            .build();
    // deferred messages and accepted events are due work on one engine: a started runner would run
    // them in the background; here a driver steps the simulated clock and runs what is due
    dueWork =
        ManualWorkDriver.of(
            ingestor.register(dispatcher.registerWith(WorkRunner.builder(work, clock))).build(),
            clock);
  }

  public static void main(String[] args) {
    new PacingMain().run();
  }

  private void run() {
    ZoneId newYork = ZoneId.of("America/New_York");
    ZoneId tokyo = ZoneId.of("Asia/Tokyo");
    ZoneId berlin = ZoneId.of("Europe/Berlin");

    say("Lin (Berlin) opted out of marketing mail last week.");
    preferences.optOut(TENANT, ContactId.of("lin"), "preference-centre");

    say("Monday, " + clock.instant() + ": the teams send.");
    dispatch(
        message("ada", "acme", newYork, MessageKind.PROMOTIONAL, "spring-sale", Source.MARKETING));
    dispatch(
        message("kenji", "kaiyo", tokyo, MessageKind.PROMOTIONAL, "spring-sale", Source.MARKETING));
    dispatch(message("ada", "acme", newYork, MessageKind.RELATIONSHIP, "check-in", Source.CSM));
    dispatch(
        message(
            "ada", "acme", newYork, MessageKind.EDUCATIONAL, "product-updates", Source.PRODUCT));
    dispatch(
        message("lin", "acme", berlin, MessageKind.PROMOTIONAL, "spring-sale", Source.MARKETING));
    dispatch(message("lin", "acme", berlin, MessageKind.TRANSACTIONAL, "invoice", Source.BILLING));

    say("Support closes a ticket of Kenji's; marketing tries an offer right after.");
    limiter.recordActivity(TENANT, ContactId.of("kenji"), "support-ticket-closed", clock.instant());
    Message offer =
        message("kenji", "kaiyo", tokyo, MessageKind.PROMOTIONAL, "offers", Source.MARKETING);
    say("  what-if (nothing reserved): " + limiter.whatIf(offer).outcome());
    dispatch(offer);

    say("SendGrid's webhook reports that Kenji unsubscribed (delivered twice, as it may be).");
    EmailEvent unsubscribe =
        EmailEvent.of(
            "sg-evt-1",
            EmailEventType.UNSUBSCRIBE,
            clock.instant(),
            EmailAddress.of("kenji@kaiyo.example"), // no contact id, as SendGrid sends it
            null,
            TENANT,
            null,
            null,
            "spring-sale",
            Map.of());
    AcceptResult first = ingestor.accept(List.of(unsubscribe)); // stored durably: answer 2xx
    AcceptResult again = ingestor.accept(List.of(unsubscribe));
    dueWork.runDue(); // applies the accepted events now
    say("  first batch: " + first + "; repeated batch: " + again);

    say(work.count(WorkState.READY) + " messages wait as due work; time passes.");
    Instant end = clock.instant().plus(Duration.ofDays(8));
    while (clock.instant().isBefore(end)) {
      results.clear();
      dueWork.advance(Duration.ofHours(1));
      for (DispatchResult r : List.copyOf(results)) {
        say("At " + clock.instant() + " a deferred message comes due:");
        print(r);
      }
    }

    say("Sent by the dry-run transport, in order:");
    for (Message m : transport.sent()) {
      say(
          "  "
              + m.source().team()
              + " -> "
              + m.contact()
              + " ("
              + m.kind()
              + ", "
              + m.category()
              + ")");
    }
    say("Still deferred: " + work.count(WorkState.READY));
  }

  private Message message(
      String contact,
      String account,
      ZoneId zone,
      MessageKind kind,
      String category,
      Source source) {
    return Message.builder()
        .tenant(TENANT)
        .account(AccountId.of(account))
        .contact(ContactId.of(contact))
        .to(contact + "@" + account + ".example")
        .recipientZone(zone)
        .kind(kind)
        .category(category)
        .source(source)
        .templateId("tpl-" + category)
        .personalisation(Map.of("first_name", contact))
        .createdAt(clock.instant())
        .build();
  }

  private void dispatch(Message m) {
    print(dispatcher.dispatch(m));
  }

  private void print(DispatchResult r) {
    Message m = r.message();
    ZoneId zone = m.recipientZone().orElse(ZoneOffset.UTC); // every message here names its zone
    String local = LOCAL.format(clock.instant().atZone(zone));
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "  %-9s -> %-5s %-13s %-16s at %s their time: %s",
            m.source().team(), m.contact(), m.kind(), m.category(), local, r.status()));
    r.decision()
        .notBefore()
        .ifPresent(
            until ->
                sb.append(" until ")
                    .append(LOCAL.format(until.atZone(zone)))
                    .append(" their time"));
    say(sb.toString());
    for (Reason reason : r.decision().reasons()) {
      say("        " + reason);
    }
  }

  private static void say(String line) {
    System.out.println(line);
  }
}
