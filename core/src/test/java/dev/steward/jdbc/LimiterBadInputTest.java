package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.StewardException;
import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CalendarStore;
import dev.steward.calendar.CommunicationCalendar;
import dev.steward.calendar.InMemoryCalendarStore;
import dev.steward.calendar.InvalidCalendarException;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapLedgerStore;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.CoolDown;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.FrequencyGate;
import dev.steward.frequency.InMemoryCapLedgerStore;
import dev.steward.frequency.InvalidLimiterArgumentException;
import dev.steward.frequency.LedgerChange;
import dev.steward.frequency.LedgerEntry;
import dev.steward.frequency.SendLog;
import dev.steward.frequency.SubjectKey;
import dev.steward.frequency.Window;
import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.Messages;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Every public entry point of the limiter, its gate, the calendar and the cap ledger stores, given
 * bad arguments, on the in-memory, H2 and PostgreSQL stores: each must throw the specific exception
 * naming the argument, and all three stores must answer alike (same type, same message), with
 * nothing written.
 */
class LimiterBadInputTest {
  private static final TestDatabase H2 = TestDatabase.h2(LimiterBadInputTest.class);
  private static final Instant T0 = Instant.parse("2026-03-04T10:00:00Z");
  private static final String HUGE = "x".repeat(64 * 1024);
  private static final String LONG = "x".repeat(201);
  private static final Instant TOO_LATE = Instant.parse("2262-04-12T00:00:00Z");
  private static final Instant TOO_EARLY = Instant.parse("1677-09-20T00:00:00Z");
  private static final Class<? extends StewardException> LIMITER =
      InvalidLimiterArgumentException.class;
  private static final Class<? extends StewardException> CALENDAR = InvalidCalendarException.class;

  /** The stores of one backend. */
  private record Backend(String name, CapLedgerStore caps, CalendarStore calendar) {}

  /** One bad call, what it must throw, and the argument its message must name. */
  private record Bad(
      String what, Class<? extends StewardException> type, String argument, Call call) {}

  @FunctionalInterface
  private interface Call {
    void run(Fixture f) throws Exception;
  }

  /** A limiter, gate and calendar over one backend's stores. */
  private static final class Fixture {
    final CapLedgerStore store;
    final FrequencyCapLimiter limiter;
    final FrequencyGate gate;
    final CommunicationCalendar calendar;
    final CalendarStore calendarStore;
    final Message message;
    final ContactId contact;
    final AccountId account;
    final SubjectKey subject;

    Fixture(Backend b, Message message) {
      this.store = b.caps();
      this.calendarStore = b.calendar();
      SettableClock clock = SettableClock.of(T0);
      this.limiter =
          FrequencyCapLimiter.builder(store, clock)
              .policy(
                  CapPolicy.builder()
                      .cap(Cap.perContact(1, Window.day()))
                      .cap(Cap.perAccount(5, Window.day()))
                      .coolDown(CoolDown.afterContactActivity("ticket", Duration.ofDays(1)))
                      .maxConcurrentJourneys(2)
                      .build())
              .build();
      this.gate = FrequencyGate.of(limiter);
      this.calendar = CommunicationCalendar.builder(calendarStore, clock).build();
      this.message = message;
      this.contact = message.contact();
      this.account = message.account();
      this.subject = SubjectKey.contact(TenantId.of("isv-tenant"), contact);
    }
  }

  private static List<Bad> cases() {
    List<Bad> c = new ArrayList<>();
    // FrequencyCapLimiter
    c.add(new Bad("decide(null)", LIMITER, "message", f -> f.limiter.decide(null)));
    c.add(new Bad("decide(null, now)", LIMITER, "message", f -> f.limiter.decide(null, T0)));
    c.add(new Bad("decide(m, null)", LIMITER, "now", f -> f.limiter.decide(f.message, null)));
    c.add(new Bad("decide(m, late)", LIMITER, "now", f -> f.limiter.decide(f.message, TOO_LATE)));
    c.add(new Bad("decide(m, early)", LIMITER, "now", f -> f.limiter.decide(f.message, TOO_EARLY)));
    c.add(new Bad("decide(m, MAX)", LIMITER, "now", f -> f.limiter.decide(f.message, Instant.MAX)));
    c.add(new Bad("whatIf(null)", LIMITER, "message", f -> f.limiter.whatIf(null)));
    c.add(new Bad("whatIf(null, at)", LIMITER, "message", f -> f.limiter.whatIf(null, T0)));
    c.add(new Bad("whatIf(m, null)", LIMITER, "at", f -> f.limiter.whatIf(f.message, null)));
    c.add(new Bad("whatIf(m, MIN)", LIMITER, "at", f -> f.limiter.whatIf(f.message, Instant.MIN)));
    c.add(new Bad("release(null, at)", LIMITER, "message", f -> f.limiter.release(null, T0)));
    c.add(
        new Bad("release(m, null)", LIMITER, "decidedAt", f -> f.limiter.release(f.message, null)));
    c.add(
        new Bad(
            "release(m, late)", LIMITER, "decidedAt", f -> f.limiter.release(f.message, TOO_LATE)));
    c.add(new Bad("recordSent(null, at)", LIMITER, "message", f -> f.limiter.recordSent(null, T0)));
    c.add(
        new Bad(
            "recordSent(m, null)", LIMITER, "sentAt", f -> f.limiter.recordSent(f.message, null)));
    c.add(
        new Bad(
            "recordSent(m, early)",
            LIMITER,
            "sentAt",
            f -> f.limiter.recordSent(f.message, TOO_EARLY)));
    c.add(
        new Bad(
            "recordActivity(null subject)",
            LIMITER,
            "subject",
            f -> f.limiter.recordActivity((SubjectKey) null, "ticket", T0)));
    c.add(
        new Bad(
            "recordActivity(null contact)",
            LIMITER,
            "contact",
            f ->
                f.limiter.recordActivity(
                    TenantId.of("isv-tenant"), (ContactId) null, "ticket", T0)));
    c.add(
        new Bad(
            "recordActivity(null account)",
            LIMITER,
            "account",
            f ->
                f.limiter.recordActivity(
                    TenantId.of("isv-tenant"), (AccountId) null, "ticket", T0)));
    for (String[] name : badNames()) {
      c.add(
          new Bad(
              "recordActivity(" + name[0] + " activity)",
              LIMITER,
              "activity",
              f -> f.limiter.recordActivity(f.subject, name[1], T0)));
      c.add(
          new Bad(
              "recordActivity(contact, " + name[0] + " activity)",
              LIMITER,
              "activity",
              f -> f.limiter.recordActivity(TenantId.of("isv-tenant"), f.contact, name[1], T0)));
    }
    c.add(
        new Bad(
            "recordActivity(at null)",
            LIMITER,
            "at",
            f -> f.limiter.recordActivity(f.subject, "ticket", null)));
    c.add(
        new Bad(
            "recordActivity(at late)",
            LIMITER,
            "at",
            f -> f.limiter.recordActivity(f.subject, "ticket", TOO_LATE)));
    // FrequencyGate
    c.add(new Bad("gate.evaluate(null)", LIMITER, "message", f -> f.gate.evaluate(null, T0)));
    c.add(new Bad("gate.evaluate(m, null)", LIMITER, "now", f -> f.gate.evaluate(f.message, null)));
    c.add(new Bad("gate.release(null)", LIMITER, "message", f -> f.gate.release(null, T0)));
    c.add(
        new Bad(
            "gate.confirmSent(m, null)",
            LIMITER,
            "sentAt",
            f -> f.gate.confirmSent(f.message, null)));
    // the builder
    c.add(
        new Bad(
            "builder(null store)",
            LIMITER,
            "store",
            f -> FrequencyCapLimiter.builder(null, SettableClock.of(T0))));
    c.add(
        new Bad(
            "builder(null clock)",
            LIMITER,
            "clock",
            f -> FrequencyCapLimiter.builder(f.store, null)));
    c.add(
        new Bad(
            "builder.policy(null)",
            LIMITER,
            "policy",
            f -> FrequencyCapLimiter.builder(f.store, SettableClock.of(T0)).policy(null)));
    c.add(new Bad("FrequencyGate.of(null)", LIMITER, "limiter", f -> FrequencyGate.of(null)));
    // the cap ledger store itself
    c.add(
        new Bad(
            "store.update(null subjects)",
            LIMITER,
            "subjects",
            f -> f.store.update(null, LedgerChange::unchanged)));
    c.add(
        new Bad(
            "store.update(null subject)",
            LIMITER,
            "subject",
            f -> f.store.update(Arrays.asList(f.subject, null), LedgerChange::unchanged)));
    c.add(
        new Bad(
            "store.update(duplicate subjects)",
            LIMITER,
            "subjects",
            f -> f.store.update(List.of(f.subject, f.subject), LedgerChange::unchanged)));
    c.add(
        new Bad(
            "store.update(null change)",
            LIMITER,
            "change",
            f -> f.store.update(List.of(f.subject), null)));
    c.add(
        new Bad(
            "store.update(change returns null)",
            LIMITER,
            "change",
            f -> f.store.update(List.of(f.subject), logs -> null)));
    c.add(
        new Bad(
            "store.update(change returns too few logs)",
            LIMITER,
            "change",
            f ->
                f.store.update(
                    List.of(f.subject, SubjectKey.account(TenantId.of("isv-tenant"), f.account)),
                    logs -> LedgerChange.write(0, List.of(SendLog.empty())))));
    c.add(new Bad("store.read(null)", LIMITER, "subjects", f -> f.store.read(null)));
    c.add(
        new Bad(
            "store.read(null subject)",
            LIMITER,
            "subject",
            f -> f.store.read(Arrays.asList(f.subject, null))));
    c.add(new Bad("store.erase(null)", LIMITER, "subject", f -> f.store.erase(null)));
    c.add(new Bad("store.eraseTenant(null)", LIMITER, "tenant", f -> f.store.eraseTenant(null)));
    c.add(
        new Bad(
            "SubjectKey.contact(null, contact)",
            LIMITER,
            "tenant",
            f -> SubjectKey.contact(null, ContactId.of("x"))));
    c.add(
        new Bad("SubjectKey.of(null, value)", LIMITER, "tenant", f -> SubjectKey.of(null, "c:x")));
    // values the stores hold: keys and entries
    c.add(
        new Bad(
            "SubjectKey.of(tenant, null)",
            LIMITER,
            "subject key",
            f -> SubjectKey.of(TenantId.of("isv-tenant"), null)));
    c.add(
        new Bad(
            "SubjectKey.of(tenant, long)",
            LIMITER,
            "subject key",
            f -> SubjectKey.of(TenantId.of("isv-tenant"), HUGE)));
    c.add(
        new Bad(
            "SubjectKey.contact(tenant, null)",
            LIMITER,
            "contact",
            f -> SubjectKey.contact(TenantId.of("isv-tenant"), null)));
    c.add(
        new Bad(
            "SubjectKey.account(tenant, null)",
            LIMITER,
            "account",
            f -> SubjectKey.account(TenantId.of("isv-tenant"), null)));
    for (String[] name : badNames()) {
      c.add(
          new Bad(
              "LedgerEntry(" + name[0] + " label)",
              LIMITER,
              "label",
              f -> new LedgerEntry(LedgerEntry.Type.ACTIVITY, 1, null, null, name[1], null)));
    }
    c.add(
        new Bad(
            "LedgerEntry(huge team)",
            LIMITER,
            "team",
            f ->
                new LedgerEntry(
                    LedgerEntry.Type.SEND,
                    1,
                    MessageKind.PROMOTIONAL,
                    Channel.EMAIL,
                    "offers",
                    HUGE)));
    c.add(
        new Bad(
            "LedgerEntry(null type)",
            LIMITER,
            "type",
            f -> new LedgerEntry(null, 1, null, null, "x", null)));
    // CommunicationCalendar
    c.add(
        new Bad(
            "calendar.builder(null)",
            CALENDAR,
            "store",
            f -> CommunicationCalendar.builder(null, java.time.Clock.systemUTC())));
    c.add(
        new Bad(
            "calendar.clock(null)",
            CALENDAR,
            "clock",
            f -> CommunicationCalendar.builder(f.calendarStore, null)));
    c.add(
        new Bad(
            "calendar.zones(null)",
            CALENDAR,
            "zones",
            f ->
                CommunicationCalendar.builder(f.calendarStore, java.time.Clock.systemUTC())
                    .zones(null)));
    c.add(new Bad("calendar.conflicts(null)", CALENDAR, "entry", f -> f.calendar.conflicts(null)));
    c.add(
        new Bad(
            "calendar.scheduleIfClear(null)",
            CALENDAR,
            "entry",
            f -> f.calendar.scheduleIfClear(null)));
    c.add(new Bad("calendar.schedule(null)", CALENDAR, "entry", f -> f.calendar.schedule(null)));
    for (String[] name : badNames()) {
      c.add(
          new Bad(
              "calendar.markSent(" + name[0] + " id)",
              CALENDAR,
              "id",
              f -> f.calendar.markSent(f.message.tenant(), name[1], T0)));
      c.add(
          new Bad(
              "calendar.cancel(" + name[0] + " id)",
              CALENDAR,
              "id",
              f -> f.calendar.cancel(f.message.tenant(), name[1])));
      c.add(
          new Bad(
              "calendar.find(" + name[0] + " id)",
              CALENDAR,
              "id",
              f -> f.calendar.find(f.message.tenant(), name[1])));
    }
    c.add(
        new Bad(
            "calendar.markSent(null id)",
            CALENDAR,
            "id",
            f -> f.calendar.markSent(f.message.tenant(), null, T0)));
    c.add(
        new Bad(
            "calendar.markSent(at null)",
            CALENDAR,
            "at",
            f -> f.calendar.markSent(f.message.tenant(), "nothing", null)));
    c.add(
        new Bad(
            "calendar.cancel(null)",
            CALENDAR,
            "id",
            f -> f.calendar.cancel(f.message.tenant(), null)));
    c.add(
        new Bad(
            "calendar.find(null)", CALENDAR, "id", f -> f.calendar.find(f.message.tenant(), null)));
    c.add(
        new Bad(
            "calendar.recordComplaint(null account)",
            CALENDAR,
            "account",
            f -> f.calendar.recordComplaint(f.message.tenant(), null, f.contact, T0)));
    c.add(
        new Bad(
            "calendar.recordComplaint(at null)",
            CALENDAR,
            "at",
            f -> f.calendar.recordComplaint(f.message.tenant(), f.account, f.contact, null)));
    c.add(
        new Bad(
            "calendar.recordComplaint(at late)",
            CALENDAR,
            "at",
            f -> f.calendar.recordComplaint(f.message.tenant(), f.account, f.contact, TOO_LATE)));
    c.add(
        new Bad(
            "calendar.record(null message)",
            CALENDAR,
            "message",
            f -> f.calendar.record(null, CalendarEntry.Status.SENT, T0)));
    c.add(
        new Bad(
            "calendar.record(null status)",
            CALENDAR,
            "status",
            f -> f.calendar.record(f.message, null, T0)));
    c.add(
        new Bad(
            "calendar.record(at null)",
            CALENDAR,
            "at",
            f -> f.calendar.record(f.message, CalendarEntry.Status.SENT, null)));
    c.add(
        new Bad(
            "calendar.record(at early)",
            CALENDAR,
            "at",
            f -> f.calendar.record(f.message, CalendarEntry.Status.SENT, TOO_EARLY)));
    c.add(
        new Bad(
            "calendar.forAccount(null)",
            CALENDAR,
            "account",
            f -> f.calendar.forAccount(f.message.tenant(), null, T0, T0.plusSeconds(1))));
    c.add(
        new Bad(
            "calendar.forAccount(from null)",
            CALENDAR,
            "from",
            f -> f.calendar.forAccount(f.message.tenant(), f.account, null, T0)));
    c.add(
        new Bad(
            "calendar.forAccount(to before from)",
            CALENDAR,
            "to",
            f -> f.calendar.forAccount(f.message.tenant(), f.account, T0, T0.minusSeconds(1))));
    c.add(
        new Bad(
            "calendar.forContact(null)",
            CALENDAR,
            "contact",
            f -> f.calendar.forContact(f.message.tenant(), null, T0, T0.plusSeconds(1))));
    c.add(
        new Bad(
            "calendar.forContact(to null)",
            CALENDAR,
            "to",
            f -> f.calendar.forContact(f.message.tenant(), f.contact, T0, null)));
    c.add(
        new Bad(
            "calendar.erase(null)",
            CALENDAR,
            "contact",
            f -> f.calendar.erase(f.message.tenant(), null)));
    return c;
  }

  /** Names no store can hold: {label, value}. */
  private static List<String[]> badNames() {
    return List.of(
        new String[] {"null", null},
        new String[] {"empty", ""},
        new String[] {"blank", "  "},
        new String[] {"64 KB", HUGE},
        new String[] {"201-char", LONG},
        new String[] {"control-char", "ticket\u0000closed"},
        new String[] {"newline", "ticket\nclosed"});
  }

  private static Backend memory() {
    return new Backend("memory", InMemoryCapLedgerStore.of(), InMemoryCalendarStore.of());
  }

  private static Backend jdbc(String name, DataSource ds) {
    return new Backend(name, JdbcCapLedgerStore.of(ds), JdbcCalendarStore.of(ds));
  }

  /** What a call did: "ok", or the exception's type and message. */
  private static String outcome(Call call, Fixture f) {
    try {
      call.run(f);
      return "ok";
    } catch (Throwable t) {
      return t.getClass().getName() + ": " + t.getMessage();
    }
  }

  @Test
  void everyBadArgumentIsRefusedAlikeByEveryStoreNamingTheArgument() {
    List<Supplier<Backend>> backends =
        List.of(
            LimiterBadInputTest::memory,
            () -> jdbc("h2", H2.dataSource()),
            () -> jdbc("postgresql", TestDatabase.postgres().dataSource()));
    List<Bad> cases = cases();
    List<String> unhelpful = new ArrayList<>();
    List<String> accepted = new ArrayList<>();
    List<String> differing = new ArrayList<>();
    List<String> written = new ArrayList<>();
    int tried = 0;
    for (Bad bad : cases) {
      Map<String, String> outcomes = new LinkedHashMap<>();
      // one message per case, the same on every backend, so that messages naming it compare equal
      Message message =
          Messages.promo("bad-" + UUID.randomUUID().toString().substring(0, 8)).build();
      for (Supplier<Backend> backend : backends) {
        Backend b = backend.get();
        Fixture f = new Fixture(b, message);
        String out = outcome(bad.call(), f);
        tried++;
        outcomes.put(b.name(), out);
        String where = bad.what() + " on " + b.name() + ": " + out;
        if (out.equals("ok")) {
          accepted.add(where);
        } else if (!out.startsWith(bad.type().getName() + ": ")
            || !out.substring(bad.type().getName().length()).contains(bad.argument())) {
          unhelpful.add(where);
        }
        // nothing of the fixture's contact was written
        if (!b.caps().read(List.of(f.subject)).get(0).isEmpty()
            || !b.calendar()
                .forContact(f.message.tenant(), f.contact, Instant.MIN, Instant.MAX)
                .isEmpty()) {
          written.add(where);
        }
      }
      if (outcomes.values().stream().distinct().count() > 1) {
        differing.add(bad.what() + ": " + outcomes);
      }
    }
    String summary =
        tried
            + " bad calls ("
            + cases.size()
            + " inputs x "
            + backends.size()
            + " stores): "
            + unhelpful.size()
            + " unhelpful, "
            + accepted.size()
            + " accepted, "
            + differing.size()
            + " differing between stores, "
            + written.size()
            + " wrote something";
    System.out.println("LimiterBadInputTest: " + summary);
    assertThat(unhelpful).as(summary).isEmpty();
    assertThat(accepted).as(summary).isEmpty();
    assertThat(differing).as(summary).isEmpty();
    assertThat(written).as(summary).isEmpty();
  }
}
