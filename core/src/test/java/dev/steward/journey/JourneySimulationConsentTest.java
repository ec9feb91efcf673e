package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Simulated consent: unsubscribes, spam reports and hard bounces as provider events through the
 * production listeners, the consent gate suppressing later sends with its reason, a consent the
 * contact starts with, the funnel's counts, reproducible draws, and refused rates.
 */
class JourneySimulationConsentTest {
  private static final TenantId T = TenantId.of("t1");

  /** Monday 2 March 2026, 09:00 UTC. */
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  /** Four weekly sends: news, news, tips, news. */
  private static final JourneyDefinition WEEKLY =
      JourneyDefinition.builder("weekly", 1)
          .team("growth")
          .start("w1")
          .step(Step.Send.of("w1", "w1", MessageKind.EDUCATIONAL, "news", "p1"))
          .step(new Step.Wait("p1", Duration.ofDays(7), Optional.of("w2")))
          .step(Step.Send.of("w2", "w2", MessageKind.EDUCATIONAL, "news", "p2"))
          .step(new Step.Wait("p2", Duration.ofDays(7), Optional.of("w3")))
          .step(Step.Send.of("w3", "w3", MessageKind.EDUCATIONAL, "tips", "p3"))
          .step(new Step.Wait("p3", Duration.ofDays(7), Optional.of("w4")))
          .step(Step.Send.of("w4", "w4", MessageKind.EDUCATIONAL, "news", null))
          .build();

  private static SimulatedContact contact(String id) {
    return SimulatedContact.of(
            new ContactProfile(
                T,
                ContactId.of(id),
                AccountId.of("acct-" + id),
                Optional.of(EmailAddress.of(id + "@example.com")),
                Optional.of(ZoneOffset.UTC),
                Map.of()))
        .enters("weekly", Duration.ZERO);
  }

  private static SimulationResult run(long seed, Duration days, SimulatedContact... contacts) {
    return JourneySimulation.builder()
        .journey(WEEKLY)
        .burstWindow(Duration.ZERO)
        .contacts(List.of(contacts))
        .start(START)
        .duration(days)
        .seed(seed)
        .build()
        .run();
  }

  /** Every entry but ENTERED and COMPLETED as "day step KIND detail". */
  private static List<String> lines(SimulationResult r, String contact) {
    List<String> out = new ArrayList<>();
    for (TimelineEntry e : r.timeline(T, ContactId.of(contact)).orElseThrow()) {
      if (e.kind() == TimelineEntry.Kind.ENTERED || e.kind() == TimelineEntry.Kind.COMPLETED) {
        continue;
      }
      long day = Duration.between(START, e.at()).toHours();
      out.add(
          (day % 24 == 0 ? "d" + day / 24 : "h" + day)
              + " "
              + e.step()
              + " "
              + e.kind()
              + (e.detail().isEmpty() ? "" : " " + brief(e.detail())));
    }
    return out;
  }

  /** The detail up to its explanation: the gate's rule, or what was unsubscribed from. */
  private static String brief(String detail) {
    int message = detail.indexOf(" (message ");
    String d = message < 0 ? detail : detail.substring(0, message);
    int colon = d.indexOf(": ");
    return colon < 0 ? d : d.substring(0, colon);
  }

  private static StepFunnel step(SimulationResult r, String step) {
    return r.funnel(T, "weekly", 1).orElseThrow().steps().stream()
        .filter(s -> s.step().equals(step))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void anUnsubscribeOrASpamReportSuppressesEveryLaterSendWithTheGatesReason() {
    SimulationResult r =
        run(
            7,
            Duration.ofDays(30),
            // unsubscribes from 'news' the day after w2: w3 (tips) still goes, w4 (news) not
            contact("ann")
                .engagement(SimulatedEngagement.NONE.unsubscribeFromCategory(Duration.ofDays(8))),
            contact("bob").engagement(SimulatedEngagement.NONE.unsubscribe(Duration.ofDays(1))),
            // reports every message it gets as spam, two hours (the open delay) after its send
            contact("dan").engagement(SimulatedEngagement.NONE.reportsSpam(1.0)));

    assertThat(lines(r, "ann"))
        .containsExactly(
            "d0 w1 SENT template w1",
            "d7 w2 SENT template w2",
            "d8 w2 UNSUBSCRIBED unsubscribed from 'news'",
            "d14 w3 SENT template w3",
            "d21 w4 SKIPPED consent/address-group-unsubscribed");
    assertThat(lines(r, "bob"))
        .containsExactly(
            "d0 w1 SENT template w1",
            "d1 w1 UNSUBSCRIBED unsubscribed from all email",
            "d7 w2 SKIPPED consent/address-unsubscribed",
            "d14 w3 SKIPPED consent/address-unsubscribed",
            "d21 w4 SKIPPED consent/address-unsubscribed");
    assertThat(lines(r, "dan"))
        .containsExactly(
            "d0 w1 SENT template w1",
            "h2 w1 SPAM_REPORTED reported spam",
            "d7 w2 SKIPPED consent/address-spam-report",
            "d14 w3 SKIPPED consent/address-spam-report",
            "d21 w4 SKIPPED consent/address-spam-report");
    // the gate's own reason, as production's consent gate words it
    assertThat(entries(r, "bob", TimelineEntry.Kind.SKIPPED).get(0).detail())
        .isEqualTo(
            "consent/address-unsubscribed: address b***@example.com unsubscribed from marketing"
                + " mail: suppressed for tenant t1 since 2026-03-03T09:00:00Z (source"
                + " provider:unsubscribe); EDUCATIONAL mail does not go to it");
    // the message the unsubscribe came from is named: bob's first
    assertThat(entries(r, "bob", TimelineEntry.Kind.UNSUBSCRIBED).get(0).detail()).endsWith("-0)");

    assertThat(step(r, "w1").counts())
        .containsEntry(JourneyMetric.SENT, 3L)
        .containsEntry(JourneyMetric.DELIVERED, 3L)
        .containsEntry(JourneyMetric.UNSUBSCRIBED, 1L)
        .containsEntry(JourneyMetric.SPAM_REPORTED, 1L);
    assertThat(step(r, "w1").reasons().get(JourneyMetric.UNSUBSCRIBED))
        .isEqualTo(Map.of("global", 1L));
    assertThat(step(r, "w2").reasons().get(JourneyMetric.UNSUBSCRIBED))
        .isEqualTo(Map.of("group", 1L));
    assertThat(step(r, "w4").counts()).doesNotContainKey(JourneyMetric.SENT);
    assertThat(step(r, "w4").reasons().get(JourneyMetric.SKIPPED))
        .isEqualTo(
            Map.of(
                "consent/address-group-unsubscribed", 1L,
                "consent/address-unsubscribed", 1L,
                "consent/address-spam-report", 1L));
  }

  @Test
  void aHardBounceSuppressesTheAddressFromThenOnAndIsNotDelivered() {
    SimulationResult r =
        run(
            7,
            Duration.ofDays(60),
            contact("cat").engagement(SimulatedEngagement.opens(1.0).bounces(1.0)),
            // a bounce scripted on day 10: w1 and w2 went, the rest not
            contact("dot").engagement(SimulatedEngagement.NONE.bounce(Duration.ofDays(10))));

    assertThat(lines(r, "cat"))
        .containsExactly(
            "d0 w1 SENT template w1",
            // bounced at once, so never opened though it opens everything
            "d0 w1 BOUNCED hard bounce",
            "d7 w2 SKIPPED consent/address-hard-bounce",
            "d14 w3 SKIPPED consent/address-hard-bounce",
            "d21 w4 SKIPPED consent/address-hard-bounce");
    assertThat(lines(r, "dot"))
        .containsExactly(
            "d0 w1 SENT template w1",
            "d7 w2 SENT template w2",
            "d10 w2 BOUNCED hard bounce",
            "d14 w3 SKIPPED consent/address-hard-bounce",
            "d21 w4 SKIPPED consent/address-hard-bounce");
    assertThat(step(r, "w1").counts())
        .containsEntry(JourneyMetric.SENT, 2L)
        .containsEntry(JourneyMetric.DELIVERED, 1L)
        .containsEntry(JourneyMetric.BOUNCED, 1L)
        .doesNotContainKey(JourneyMetric.OPENED);
    assertThat(step(r, "w2").reasons().get(JourneyMetric.BOUNCED)).isEqualTo(Map.of("bounce", 1L));
    assertThat(step(r, "w3").reasons().get(JourneyMetric.SKIPPED))
        .isEqualTo(Map.of("consent/address-hard-bounce", 2L));
  }

  @Test
  void aConsentGivenAtTheStartSuppressesFromTheFirstSend() {
    SimulationResult r =
        run(
            7,
            Duration.ofDays(30),
            contact("eve").startsUnsubscribedFrom("news"),
            contact("fay").startsOptedOut(),
            contact("gus"));

    assertThat(lines(r, "eve"))
        .containsExactly(
            "d0 w1 SKIPPED consent/category-unsubscribed",
            "d7 w2 SKIPPED consent/category-unsubscribed",
            "d14 w3 SENT template w3",
            "d21 w4 SKIPPED consent/category-unsubscribed");
    assertThat(lines(r, "fay"))
        .containsExactly(
            "d0 w1 SKIPPED consent/global-opt-out",
            "d7 w2 SKIPPED consent/global-opt-out",
            "d14 w3 SKIPPED consent/global-opt-out",
            "d21 w4 SKIPPED consent/global-opt-out");
    assertThat(entries(r, "fay", TimelineEntry.Kind.SKIPPED).get(0).detail())
        .isEqualTo(
            "consent/global-opt-out: contact fay opted out of marketing mail at"
                + " 2026-03-02T09:00:00Z");
    assertThat(lines(r, "gus"))
        .containsExactly(
            "d0 w1 SENT template w1",
            "d7 w2 SENT template w2",
            "d14 w3 SENT template w3",
            "d21 w4 SENT template w4");
    assertThat(step(r, "w1").reasons().get(JourneyMetric.SKIPPED))
        .isEqualTo(Map.of("consent/category-unsubscribed", 1L, "consent/global-opt-out", 1L));
  }

  private static List<SimulatedContact> crowd() {
    List<SimulatedContact> all = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      all.add(
          SimulatedContact.of(contact("c" + i).profile())
              .enters("weekly", Duration.ofHours(7L * i))
              .engagement(
                  SimulatedEngagement.opens(0.3)
                      .clicks(0.05)
                      .unsubscribes(0.05)
                      .unsubscribesFromCategory(0.05)
                      .reportsSpam(0.02)
                      .bounces(0.03)));
    }
    return all;
  }

  private static SimulationResult crowdRun(long seed) {
    return JourneySimulation.builder()
        .journey(WEEKLY)
        .contacts(crowd())
        .start(START)
        .duration(Duration.ofDays(120))
        .seed(seed)
        .build()
        .run();
  }

  @Test
  void drawnRatesAreReproducibleAndTheFunnelCountsWhatTheTimelinesShow() {
    SimulationResult a = crowdRun(42);
    SimulationResult b = crowdRun(42);
    SimulationResult c = crowdRun(43);
    List<List<String>> ta = new ArrayList<>();
    List<List<String>> tb = new ArrayList<>();
    List<List<String>> tc = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      ta.add(lines(a, "c" + i));
      tb.add(lines(b, "c" + i));
      tc.add(lines(c, "c" + i));
    }
    assertThat(tb).isEqualTo(ta);
    assertThat(b.funnels()).isEqualTo(a.funnels());
    assertThat(tc).isNotEqualTo(ta);

    long unsubscribed = 0;
    long bounced = 0;
    long spam = 0;
    long suppressed = 0;
    for (int i = 0; i < 300; i++) {
      List<TimelineEntry> t = a.timeline(T, ContactId.of("c" + i)).orElseThrow();
      boolean stopped = false;
      boolean noNews = false;
      for (TimelineEntry e : t) {
        switch (e.kind()) {
          case SENT -> {
            assertThat(stopped).as("c%d sent %s after opting out or bouncing", i, e).isFalse();
            assertThat(noNews && !e.step().equals("w3"))
                .as("c%d sent news %s after leaving 'news'", i, e)
                .isFalse();
          }
          case UNSUBSCRIBED -> {
            unsubscribed++;
            if (e.detail().startsWith("unsubscribed from all")) {
              stopped = true;
            } else {
              noNews |= e.detail().startsWith("unsubscribed from 'news'");
            }
          }
          case SPAM_REPORTED -> {
            spam++;
            stopped = true;
          }
          case BOUNCED -> {
            bounced++;
            stopped = true;
          }
          case SKIPPED -> {
            assertThat(e.detail()).startsWith("consent/");
            suppressed++;
          }
          default -> {}
        }
      }
    }
    JourneyFunnel f = a.funnel(T, "weekly", 1).orElseThrow();
    assertThat(unsubscribed).isPositive();
    assertThat(bounced).isPositive();
    assertThat(spam).isPositive();
    assertThat(suppressed).isPositive();
    assertThat(f.total(JourneyMetric.UNSUBSCRIBED)).isEqualTo(unsubscribed);
    assertThat(f.total(JourneyMetric.BOUNCED)).isEqualTo(bounced);
    assertThat(f.total(JourneyMetric.SPAM_REPORTED)).isEqualTo(spam);
    assertThat(f.total(JourneyMetric.SKIPPED)).isEqualTo(suppressed);
    assertThat(f.total(JourneyMetric.DELIVERED))
        .isEqualTo(f.total(JourneyMetric.SENT) - f.total(JourneyMetric.BOUNCED));
  }

  @Test
  void badRatesAndDelaysAreRefusedNamingTheField() {
    assertThatThrownBy(() -> SimulatedEngagement.NONE.bounces(1.5))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("bounce rate")
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> SimulatedEngagement.NONE.unsubscribes(-0.1))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("unsubscribe rate");
    assertThatThrownBy(() -> SimulatedEngagement.NONE.unsubscribesFromCategory(Double.NaN))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("group unsubscribe rate");
    assertThatThrownBy(() -> SimulatedEngagement.NONE.reportsSpam(2))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("spam report rate");
    assertThatThrownBy(() -> SimulatedEngagement.NONE.bounces(0.6).unsubscribes(0.6))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("must be at most 1");
    assertThatThrownBy(() -> SimulatedEngagement.NONE.openAfter(Duration.ofHours(-1)))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("open delay");
    assertThatThrownBy(() -> SimulatedEngagement.NONE.bounce(Duration.ofDays(-1)))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("offset");
    assertThatThrownBy(() -> contact("x").startsUnsubscribedFrom(" "))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("category");
    // a provider event after the end is refused by the build, before anything runs
    assertThatThrownBy(
            () ->
                JourneySimulation.builder()
                    .journey(WEEKLY)
                    .contact(
                        contact("x")
                            .engagement(SimulatedEngagement.NONE.bounce(Duration.ofDays(40))))
                    .start(START)
                    .duration(Duration.ofDays(30))
                    .build())
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("acts after PT960H");
  }

  private static List<TimelineEntry> entries(
      SimulationResult r, String contact, TimelineEntry.Kind kind) {
    return r.timeline(T, ContactId.of(contact)).orElseThrow().stream()
        .filter(e -> e.kind() == kind)
        .toList();
  }
}
