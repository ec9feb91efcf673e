package dev.steward.frequency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares the limiter with a naive model written independently here: a plain list of sends and
 * activities, brute-force counts, and a deferral instant found by trying every candidate instant
 * (send + window, window starts, quiet-hour ends, send-window openings, cool-down ends, DST
 * transitions) in order.
 */
class LimiterModelTest {
  private static final ZoneId[] ZONES = {
    ZoneOffset.UTC,
    ZoneId.of("America/New_York"),
    ZoneId.of("Asia/Tokyo"),
    ZoneId.of("Europe/Berlin")
  };
  private static final String[] CATEGORIES = {"news", "offers", "tips"};
  private static final MessageKind[] KINDS = {
    MessageKind.PROMOTIONAL,
    MessageKind.EDUCATIONAL,
    MessageKind.RELATIONSHIP,
    MessageKind.TRANSACTIONAL
  };
  private static final long ROLLING = Duration.ofDays(7).getSeconds();
  private static final long COOL = Duration.ofHours(30).getSeconds();
  private static final LocalTime QUIET_START = LocalTime.of(22, 0);
  private static final LocalTime QUIET_END = LocalTime.of(7, 30);
  private static final LocalTime OPEN = LocalTime.of(8, 0);
  private static final LocalTime CLOSE = LocalTime.of(19, 0);
  private static final EnumSet<DayOfWeek> DAYS =
      EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.SATURDAY);

  record Send(String contact, String account, MessageKind kind, String category, long at) {}

  record Activity(String contact, long at) {}

  /** The naive model of one policy: which rules are on. */
  static final class Model {
    final boolean sendWindow;
    final List<Send> sends = new ArrayList<>();
    final List<Activity> activities = new ArrayList<>();

    Model(boolean sendWindow) {
      this.sendWindow = sendWindow;
    }

    CapPolicy policy() {
      CapPolicy.Builder b =
          CapPolicy.builder()
              .cap(Cap.perContact(2, Window.rolling(Duration.ofDays(7))))
              .cap(Cap.perContact(1, Window.day()).eachCategory())
              .cap(Cap.perAccount(4, Window.week()).onlyKinds(MessageKind.PROMOTIONAL))
              .coolDown(
                  CoolDown.afterContactActivity("complaint", Duration.ofHours(30))
                      .onlyKinds(MessageKind.PROMOTIONAL))
              .quietHours(QUIET_START, QUIET_END);
      if (sendWindow) {
        b.sendWindow(DAYS, OPEN, CLOSE);
      }
      return b.build();
    }

    static LocalDate localDate(long t, ZoneId zone) {
      return Instant.ofEpochSecond(t).atZone(zone).toLocalDate();
    }

    static long dayStart(LocalDate d, ZoneId zone) {
      return d.atStartOfDay(zone).toEpochSecond();
    }

    boolean allowed(Message m, long t) {
      if (m.kind() == MessageKind.TRANSACTIONAL) {
        return true;
      }
      ZoneId zone = m.recipientZone().orElseThrow();
      String contact = m.contact().value();
      int rolling = 0;
      int today = 0;
      int week = 0;
      LocalDate d = localDate(t, zone);
      long dayFrom = dayStart(d, zone);
      long dayTo = dayStart(d.plusDays(1), zone);
      LocalDate monday = d.minusDays(d.getDayOfWeek().getValue() - 1);
      long weekFrom = dayStart(monday, zone);
      long weekTo = dayStart(monday.plusDays(7), zone);
      for (Send s : sends) {
        if (s.contact.equals(contact) && s.at > t - ROLLING && s.at <= t) {
          rolling++;
        }
        if (s.contact.equals(contact)
            && s.category.equals(m.category())
            && s.at >= dayFrom
            && s.at < dayTo) {
          today++;
        }
        if (m.kind() == MessageKind.PROMOTIONAL
            && s.account.equals(m.account().value())
            && s.kind == MessageKind.PROMOTIONAL
            && s.at >= weekFrom
            && s.at < weekTo) {
          week++;
        }
      }
      if (rolling >= 2 || today >= 1 || week >= 4) {
        return false;
      }
      if (m.kind() == MessageKind.PROMOTIONAL) {
        for (Activity a : activities) {
          if (a.contact.equals(contact) && a.at <= t && t < a.at + COOL) {
            return false;
          }
        }
      }
      ZonedDateTime local = Instant.ofEpochSecond(t).atZone(zone);
      LocalTime time = local.toLocalTime();
      if (!time.isBefore(QUIET_START) || time.isBefore(QUIET_END)) {
        return false;
      }
      if (sendWindow) {
        return DAYS.contains(local.getDayOfWeek()) && !time.isBefore(OPEN) && time.isBefore(CLOSE);
      }
      return true;
    }

    /** The first candidate at or after now at which the model allows, or -1 within 40 days. */
    long firstAllowed(Message m, long now) {
      ZoneId zone = m.recipientZone().orElseThrow();
      TreeSet<Long> candidates = new TreeSet<>();
      candidates.add(now);
      for (Send s : sends) {
        candidates.add(s.at + ROLLING);
      }
      for (Activity a : activities) {
        candidates.add(a.at + COOL);
      }
      LocalDate first = localDate(now, zone).minusDays(1);
      for (int i = 0; i < 40; i++) {
        LocalDate day = first.plusDays(i);
        candidates.add(dayStart(day, zone));
        for (LocalTime lt : List.of(QUIET_END, OPEN)) {
          ZonedDateTime z = ZonedDateTime.of(day, lt, zone);
          candidates.add(z.toEpochSecond());
          candidates.add(z.withLaterOffsetAtOverlap().toEpochSecond());
        }
      }
      ZoneOffsetTransition tr = zone.getRules().nextTransition(Instant.ofEpochSecond(now));
      for (int i = 0; tr != null && i < 3; i++) {
        candidates.add(tr.getInstant().getEpochSecond());
        tr = zone.getRules().nextTransition(tr.getInstant());
      }
      for (long c : candidates.tailSet(now)) {
        if (allowed(m, c)) {
          return c;
        }
      }
      return -1;
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1L, 7L, 42L, 2026L, 90210L})
  void limiterAgreesWithTheNaiveModel(long seed) {
    Random random = new Random(seed);
    Model model = new Model(seed % 2 == 0);
    SettableClock clock = SettableClock.of(Instant.parse("2026-02-20T00:00:00Z"));
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), clock)
            .policy(model.policy())
            .build();
    String[] contacts = new String[8];
    ZoneId[] contactZones = new ZoneId[contacts.length];
    for (int i = 0; i < contacts.length; i++) {
      contacts[i] = "c" + i;
      contactZones[i] = ZONES[random.nextInt(ZONES.length)];
    }
    Message lastAllowed = null;
    long lastAllowedAt = 0;
    int allows = 0;
    int defers = 0;
    for (int step = 0; step < 3000; step++) {
      clock.advance(
          Duration.ofSeconds(random.nextInt(4 * 3600) + (random.nextInt(10) == 0 ? 86_400 : 0)));
      long now = clock.instant().getEpochSecond();
      int who = random.nextInt(contacts.length);
      int action = random.nextInt(20);
      if (action == 0) {
        limiter.recordActivity(
            TenantId.of("t1"), ContactId.of(contacts[who]), "complaint", clock.instant());
        model.activities.add(new Activity(contacts[who], now));
        continue;
      }
      if (action == 1 && lastAllowed != null) {
        limiter.release(lastAllowed, Instant.ofEpochSecond(lastAllowedAt));
        Message released = lastAllowed;
        long at = lastAllowedAt;
        model.sends.removeIf(
            s ->
                s.at == at
                    && s.contact.equals(released.contact().value())
                    && s.category.equals(released.category())
                    && s.kind == released.kind());
        lastAllowed = null;
        continue;
      }
      Message m =
          Messages.to(
              contacts[who],
              "acct" + (who % 3),
              contactZones[who],
              KINDS[random.nextInt(KINDS.length)],
              CATEGORIES[random.nextInt(CATEGORIES.length)]);
      long expected = model.firstAllowed(m, now);
      Decision whatIf = limiter.whatIf(m);
      Decision decision = limiter.decide(m);
      String context =
          "seed "
              + seed
              + " step "
              + step
              + " at "
              + clock.instant()
              + " "
              + m.contact()
              + " "
              + m.kind()
              + " "
              + m.category()
              + " "
              + m.recipientZone().orElseThrow()
              + ": "
              + decision;
      assertThat(whatIf.outcome()).as(context).isEqualTo(decision.outcome());
      if (expected == now) {
        assertThat(decision.outcome()).as(context).isEqualTo(Outcome.ALLOW);
        if (m.kind() != MessageKind.TRANSACTIONAL) {
          model.sends.add(
              new Send(m.contact().value(), m.account().value(), m.kind(), m.category(), now));
          lastAllowed = m;
          lastAllowedAt = now;
        }
        allows++;
      } else {
        assertThat(expected).as(context).isPositive();
        assertThat(decision.outcome()).as(context).isEqualTo(Outcome.DEFER);
        assertThat(decision.notBefore().orElseThrow())
            .as(context)
            .isEqualTo(Instant.ofEpochSecond(expected));
        assertThat(whatIf.notBefore()).as(context).isEqualTo(decision.notBefore());
        defers++;
      }
    }
    // the sequence must exercise both answers, or it proves little
    assertThat(allows).isGreaterThan(300);
    assertThat(defers).isGreaterThan(300);
  }
}
