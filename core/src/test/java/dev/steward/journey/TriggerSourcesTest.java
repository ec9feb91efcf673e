package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.health.HealthBandChanged;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.MessageKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Health band changes, provider events and application events as entry triggers. */
class TriggerSourcesTest {
  static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  static JourneyDefinition oneSend(String id, EntryTrigger trigger, ReEntry reEntry) {
    return JourneyDefinition.builder(id, 1)
        .trigger(trigger)
        .reEntry(reEntry)
        .step(Step.Send.of("send", "tpl-" + id, MessageKind.RELATIONSHIP, "csm", null))
        .build();
  }

  static HealthBandChanged band(String account, String from, String to, Instant at) {
    return new HealthBandChanged(
        TENANT, AccountId.of(account), from, to, true, at, null /* not read by triggers */);
  }

  @Test
  void healthDroppedToRedEnrolsTheAccountsContactsOncePerChange() {
    JourneyDefinition risk =
        oneSend("risk", new EntryTrigger.OnHealthBand("red", Optional.empty()), ReEntry.always());
    JourneyDefinition slide =
        oneSend(
            "slide",
            new EntryTrigger.OnHealthBand("Yellow", Optional.of("green")),
            ReEntry.always());
    TriggerKit kit =
        new TriggerKit(
            START,
            List.of(risk, slide),
            t ->
                t.accountContacts(
                    (tenant, account) ->
                        account.value().equals("acme")
                            ? List.of(ContactId.of("ann"), ContactId.of("ben"), ContactId.of("x"))
                            : List.of()));
    ContactId ann = kit.contact("ann", BERLIN, Map.of());
    ContactId ben = kit.contact("ben", BERLIN, Map.of());
    ContactId eve = kit.contact("eve", BERLIN, Map.of()); // another account

    kit.triggers.healthListener().onBandChanged(band("acme", "yellow", "red", START));
    kit.triggers.healthListener().onBandChanged(band("acme", "yellow", "red", START)); // repeated
    assertThat(kit.enrolments(ann, "risk")).hasSize(1);
    assertThat(kit.enrolments(ben, "risk")).hasSize(1);
    assertThat(kit.enrolments(eve)).isEmpty();

    kit.runUntil(START.plus(Duration.ofHours(1)), Duration.ofHours(1));
    kit.triggers
        .healthListener()
        .onBandChanged(band("acme", "red", "yellow", START.plusSeconds(60)));
    assertThat(kit.enrolments(ann, "slide")).isEmpty(); // from red, not green
    kit.triggers
        .healthListener()
        .onBandChanged(band("acme", "green", "yellow", START.plusSeconds(90)));
    assertThat(kit.enrolments(ann, "slide")).hasSize(1); // labels compared ignoring case
    // a later drop to red is another change: the journey is entered again (its rule allows it)
    kit.runUntil(START.plus(Duration.ofHours(2)), Duration.ofHours(1));
    kit.triggers
        .healthListener()
        .onBandChanged(band("acme", "yellow", "red", START.plus(Duration.ofDays(1))));
    assertThat(kit.enrolments(ann, "risk")).hasSize(2);
  }

  @Test
  void aHealthTriggerNeedsTheAccountsContacts() {
    JourneyDefinition risk =
        oneSend("risk", new EntryTrigger.OnHealthBand("red", Optional.empty()), ReEntry.always());
    assertThatThrownBy(() -> new TriggerKit(START, List.of(risk)))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("journey 'risk' has a health trigger")
        .hasMessageContaining("accountContacts");
  }

  @Test
  void providerEventsEnrolByTheirTypeOncePerEventAndFeedEventCounts() {
    JourneyDefinition bounced =
        oneSend("bounced", new EntryTrigger.OnEvent("email.bounce"), ReEntry.always());
    JourneyDefinition engaged =
        oneSend(
            "engaged",
            new EntryTrigger.InSegment(Segment.atLeast(3, "email.open", Duration.ofDays(30))),
            ReEntry.onceEver());
    TriggerKit kit = new TriggerKit(START, List.of(bounced, engaged));
    ContactId ann = kit.contact("ann", BERLIN, Map.of());
    List<EmailEvent> batch =
        List.of(
            event("ev-1", EmailEventType.BOUNCE, ann, START),
            event("ev-2", EmailEventType.OPEN, ann, START));
    kit.triggers.emailEventListener().onEvents(batch);
    kit.triggers.emailEventListener().onEvents(batch); // the ingestor may apply a batch again
    assertThat(kit.enrolments(ann, "bounced")).hasSize(1);
    assertThat(kit.enrolments(ann, "engaged")).isEmpty(); // one open so far

    kit.clock.set(START.plusSeconds(60)); // events arrive after they happened
    kit.triggers
        .emailEventListener()
        .onEvents(
            List.of(
                event("ev-3", EmailEventType.OPEN, ann, START.plusSeconds(10)),
                event("ev-4", EmailEventType.CLICK, ann, START.plusSeconds(20))));
    assertThat(kit.enrolments(ann, "engaged")).isEmpty(); // two opens and a click
    kit.triggers
        .emailEventListener()
        .onEvents(List.of(event("ev-5", EmailEventType.OPEN, ann, START.plusSeconds(30))));
    assertThat(kit.enrolments(ann, "engaged")).hasSize(1);
    assertThat(kit.enrolments(ann, "bounced")).hasSize(1);
  }

  @Test
  void applicationEventsEnrolOncePerEventId() {
    JourneyDefinition limit =
        oneSend("limit", new EntryTrigger.OnEvent("Usage-Limit-Reached"), ReEntry.always());
    TriggerKit kit = new TriggerKit(START, List.of(limit));
    ContactId ann = kit.contact("ann", BERLIN, Map.of());
    Map<String, EnrolResult> first =
        kit.triggers.recordEvent(TENANT, ann, "u-1", "usage-limit-reached", START);
    assertThat(first.get("limit").status()).isEqualTo(EnrolResult.Status.ENROLLED);
    Map<String, EnrolResult> again =
        kit.triggers.recordEvent(TENANT, ann, "u-1", "usage-limit-reached", START);
    assertThat(again.get("limit").status()).isEqualTo(EnrolResult.Status.ALREADY_ENROLLED);
    kit.runUntil(START.plus(Duration.ofHours(1)), Duration.ofHours(1));
    assertThat(
            kit.triggers
                .recordEvent(TENANT, ann, "u-2", "usage-limit-reached", START.plusSeconds(3600))
                .get("limit")
                .status())
        .isEqualTo(EnrolResult.Status.ENROLLED);
    assertThat(kit.enrolments(ann)).hasSize(2);
    assertThatThrownBy(() -> kit.triggers.recordEvent(TENANT, ann, "u-3", " ", START))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("event name must not be blank");
  }

  static EmailEvent event(String id, EmailEventType type, ContactId c, Instant at) {
    return EmailEvent.of(
        id,
        type,
        at,
        EmailAddress.of(c.value() + "@example.com"),
        null,
        TENANT,
        AccountId.of("acct-" + c.value()),
        c,
        "csm",
        Map.of());
  }
}
