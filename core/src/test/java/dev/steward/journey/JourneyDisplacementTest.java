package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Dispatcher;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.FrequencyGate;
import dev.steward.frequency.InMemoryCapLedgerStore;
import dev.steward.frequency.Window;
import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.Priority;
import dev.steward.model.Source;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Two journeys compete for one contact's capped budget (one message a week): the renewal's
 * higher-priority send takes the slot the newsletter's deferred send waited for, and the
 * newsletter's enrolment records that, naming the message that displaced it and the new time.
 */
class JourneyDisplacementTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final Duration WEEK = Duration.ofDays(7);
  private static final Instant SLOT = T0.plus(WEEK);
  private static final ContactId ANN = ContactId.of("ann");

  private static JourneyDefinition journey(String id, Priority priority) {
    return JourneyDefinition.builder(id, 1)
        .step(
            new Step.Send(
                "mail",
                List.of(new Step.Variant("default", "tpl-" + id, 1)),
                MessageKind.RELATIONSHIP,
                "account",
                Channel.EMAIL,
                priority,
                Optional.of("pause")))
        .step(new Step.Wait("pause", Duration.ofDays(30), Optional.of("end")))
        .step(new Step.Exit("end", "done"))
        .build();
  }

  @Test
  void theDisplacedEnrolmentsHistoryNamesTheMessageThatTookItsSlotAndAnalyticsCountsIt() {
    SettableClock clock = SettableClock.of(T0);
    InMemoryWorkStore work = InMemoryWorkStore.of(clock);
    InMemoryJourneyStore store = InMemoryJourneyStore.of();
    JourneyAnalytics analytics =
        JourneyAnalytics.builder(InMemoryJourneyAnalyticsStore.of(), clock).journeys(store).build();
    RecordingTransport transport = RecordingTransport.of();
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), clock)
            .policy(CapPolicy.builder().cap(Cap.perContact(1, Window.rolling(WEEK))).build())
            .build();
    Dispatcher dispatcher =
        Dispatcher.builder(transport, clock)
            .workStore(work)
            .gate(FrequencyGate.of(limiter))
            .listener(analytics.dispatchListener())
            .listener(JourneyScheduler.deferredSendHistory(store, clock))
            .build();
    JourneyDefinition news = journey("news", Priority.LOW);
    JourneyDefinition renewal = journey("renewal", Priority.HIGH);
    JourneyScheduler journeys =
        JourneyScheduler.builder(clock, store, work)
            .dispatcher(dispatcher)
            .journey(news)
            .journey(renewal)
            .outcomeListener(analytics.outcomeListener())
            .build();
    ManualWorkDriver driver =
        ManualWorkDriver.of(
            journeys.registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock))).build(),
            clock);
    journeys.putContact(
        new ContactProfile(
            TENANT,
            ANN,
            AccountId.of("acct"),
            Optional.of(EmailAddress.of("ann@example.com")),
            Optional.of(BERLIN),
            Map.of()));
    // the week's one message goes out now
    assertThat(
            dispatcher
                .dispatch(
                    Message.builder()
                        .tenant(TENANT)
                        .account(AccountId.of("acct"))
                        .contact(ANN)
                        .to("ann@example.com")
                        .kind(MessageKind.RELATIONSHIP)
                        .category("account")
                        .source(Source.PRODUCT)
                        .createdAt(T0)
                        .build())
                .status())
        .isEqualTo(DispatchStatus.SENT);

    clock.advance(Duration.ofDays(1));
    Enrolment low = journeys.enrol(TENANT, ANN, "news").enrolment().orElseThrow();
    driver.runDue();
    MessageId lowId = MessageId.of("j-" + low.id() + "-0");
    assertThat(dispatcher.deferred(TENANT, lowId).orElseThrow().dueAt()).isEqualTo(SLOT);

    clock.advance(Duration.ofDays(1));
    Enrolment high = journeys.enrol(TENANT, ANN, "renewal").enrolment().orElseThrow();
    driver.runDue();
    MessageId highId = MessageId.of("j-" + high.id() + "-0");
    assertThat(dispatcher.deferred(TENANT, highId).orElseThrow().dueAt()).isEqualTo(SLOT);
    assertThat(dispatcher.deferred(TENANT, lowId).orElseThrow().dueAt())
        .isEqualTo(SLOT.plusSeconds(1));

    List<HistoryEntry> h = journeys.history(TENANT, low.id());
    HistoryEntry displaced = h.get(h.size() - 1);
    assertThat(displaced.outcome()).isEqualTo(StepOutcome.DEFERRED);
    assertThat(displaced.step()).isEqualTo("mail");
    assertThat(displaced.at()).isEqualTo(T0.plus(Duration.ofDays(2)));
    assertThat(displaced.detail())
        .isEqualTo(
            "message "
                + lowId
                + " displaced by "
                + highId
                + " (priority HIGH), now "
                + SLOT.plusSeconds(1));
    // the renewal's own history has no such entry
    assertThat(journeys.history(TENANT, high.id()))
        .noneMatch(x -> x.detail().contains("displaced"));
    StepFunnel mail = analytics.funnel(TENANT, news).step("mail").orElseThrow();
    assertThat(mail.reasons(JourneyMetric.DEFERRED))
        .containsEntry(JourneyAnalytics.DISPLACED, 1L)
        .hasSize(2);
    assertThat(
            analytics
                .funnel(TENANT, renewal)
                .step("mail")
                .orElseThrow()
                .reasons(JourneyMetric.DEFERRED))
        .doesNotContainKey(JourneyAnalytics.DISPLACED);

    // the renewal goes out at the slot; the newsletter waits for the next one and then goes too
    driver.advanceTo(SLOT);
    driver.advanceTo(SLOT.plusSeconds(1));
    assertThat(dispatcher.deferred(TENANT, lowId).orElseThrow().dueAt()).isEqualTo(SLOT.plus(WEEK));
    driver.advanceTo(SLOT.plus(WEEK));
    assertThat(transport.sent())
        .extracting(Message::templateId)
        .containsExactly(null, "tpl-renewal", "tpl-news");
    assertThat(journeys.enrolment(TENANT, low.id()).orElseThrow().state())
        .isEqualTo(EnrolmentState.ACTIVE);
  }
}
