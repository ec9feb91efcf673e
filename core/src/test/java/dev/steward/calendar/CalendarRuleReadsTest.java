package dev.steward.calendar;

import static dev.steward.calendar.CalendarFixtures.ANA;
import static dev.steward.calendar.CalendarFixtures.GLOBEX;
import static dev.steward.calendar.CalendarFixtures.TENANT;
import static dev.steward.calendar.CalendarFixtures.campaign;
import static dev.steward.calendar.CalendarFixtures.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.calendar.ConflictRule.Scope;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The calendar reads each of a candidate's account and contact once per check when every rule says
 * how far it reads ({@link ConflictRule#reach()}), and the rules find exactly the conflicts they
 * find reading the store themselves (pg14).
 */
class CalendarRuleReadsTest {
  static final ZoneId KIRITIMATI = ZoneId.of("Pacific/Kiritimati"); // UTC+14

  /** Counts range reads, forwarding everything to a store in memory. */
  static final class Counting implements CalendarStore {
    final InMemoryCalendarStore inner = InMemoryCalendarStore.of();
    final List<String> reads = new ArrayList<>();

    @Override
    public void put(CalendarEntry entry) {
      inner.put(entry);
    }

    @Override
    public Optional<CalendarEntry> find(TenantId tenant, String id) {
      return inner.find(tenant, id);
    }

    @Override
    public List<CalendarEntry> forAccount(
        TenantId tenant, AccountId account, Instant from, Instant to) {
      reads.add("account " + account);
      return inner.forAccount(tenant, account, from, to);
    }

    @Override
    public List<CalendarEntry> forContact(
        TenantId tenant, ContactId contact, Instant from, Instant to) {
      reads.add("contact " + contact);
      return inner.forContact(tenant, contact, from, to);
    }

    @Override
    public int eraseContact(TenantId tenant, ContactId contact) {
      return inner.eraseContact(tenant, contact);
    }

    @Override
    public int eraseTenant(TenantId tenant) {
      return inner.eraseTenant(tenant);
    }

    @Override
    public <R> R update(
        TenantId tenant,
        Set<AccountId> accounts,
        Set<ContactId> contacts,
        Function<LockedView, CalendarChange<R>> change) {
      return inner.update(tenant, accounts, contacts, change);
    }
  }

  /** A rule as given, but that does not say its reach: the calendar reads what it asks. */
  record Unsaid(ConflictRule rule) implements ConflictRule {
    @Override
    public String id() {
      return rule.id();
    }

    @Override
    public List<CalendarConflict> check(CalendarEntry candidate, View view) {
      return rule.check(candidate, view);
    }
  }

  static final List<ConflictRule> RULES =
      List.of(
          ConflictRule.differentTeamsSameDay(Scope.CONTACT),
          ConflictRule.campaignsAtOnce(1, Duration.ofDays(3)),
          ConflictRule.complaintCooldown(Duration.ofDays(5), Scope.CONTACT));

  static CommunicationCalendar calendar(CalendarStore store, List<ConflictRule> rules) {
    CommunicationCalendar.Builder b =
        CommunicationCalendar.builder(store, Clock.systemUTC())
            .zones(ConflictRule.Zones.fixed(KIRITIMATI));
    rules.forEach(b::rule);
    return b.build();
  }

  /** Entries on and just beyond every rule's edges, around a candidate at 2024-03-05T09:00Z. */
  static void fill(CalendarStore store, CommunicationCalendar calendar) {
    // the candidate's local day in UTC+14 is [2024-03-04T10:00Z, 2024-03-05T10:00Z)
    store.put(to("day-in", "csm", ANA, "2024-03-04T10:00:00Z"));
    store.put(to("day-out", "csm", ANA, "2024-03-05T10:00:00Z"));
    store.put(to("day-before", "csm", ANA, "2024-03-04T09:59:59.999999999Z"));
    store.put(to("account-wide", "product", null, "2024-03-05T09:30:00Z"));
    // campaigns overlap within 3 days either way
    store.put(campaign("k-in", GLOBEX, null, "spring", "2024-03-02T09:00:00.000000001Z"));
    store.put(campaign("k-out", GLOBEX, null, "winter", "2024-03-02T09:00:00Z"));
    store.put(campaign("k-after", GLOBEX, null, "summer", "2024-03-08T09:00:00Z"));
    // complaints hold back 5 days
    calendar.recordComplaint(TENANT, GLOBEX, ANA, Instant.parse("2024-02-29T09:00:00.000000001Z"));
    calendar.recordComplaint(TENANT, GLOBEX, ANA, Instant.parse("2024-02-29T09:00:00Z"));
  }

  @Test
  void rulesThatSayTheirReachReadEachScopeOnceAndFindWhatTheyFindAlone() {
    Counting store = new Counting();
    CommunicationCalendar all = calendar(store, RULES);
    fill(store, all);
    CalendarEntry candidate = campaign("candidate", GLOBEX, ANA, "autumn", "2024-03-05T09:00:00Z");

    store.reads.clear();
    List<CalendarConflict> found = all.conflicts(candidate);

    assertThat(store.reads).containsExactlyInAnyOrder("account globex", "contact ana");
    List<CalendarConflict> alone = new ArrayList<>();
    for (ConflictRule r : RULES) {
      alone.addAll(calendar(store, List.of(new Unsaid(r))).conflicts(candidate));
    }
    assertThat(found).isEqualTo(alone).hasSize(3);
    assertThat(found.get(0).entryIds()).containsExactly("day-in", "account-wide");
    assertThat(found.get(1).entryIds()).containsExactly("k-in");
    assertThat(found.get(2).entryIds()).hasSize(1);
  }

  @Test
  void aRuleThatDoesNotSayItsReachMakesEveryReadAskTheStore() {
    Counting store = new Counting();
    List<ConflictRule> rules = new ArrayList<>(RULES);
    rules.add(new Unsaid(ConflictRule.complaintCooldown(Duration.ofDays(1), Scope.ACCOUNT)));
    CommunicationCalendar calendar = calendar(store, rules);
    fill(store, calendar);

    store.reads.clear();
    calendar.conflicts(campaign("candidate", GLOBEX, ANA, "autumn", "2024-03-05T09:00:00Z"));

    assertThat(store.reads.size()).isGreaterThan(2);
  }

  @Test
  void aRuleAnsweringNullForItsReachIsRefusedNamingIt() {
    ConflictRule broken =
        new ConflictRule() {
          @Override
          public String id() {
            return "broken";
          }

          @Override
          public List<CalendarConflict> check(CalendarEntry candidate, View view) {
            return List.of();
          }

          @Override
          public Optional<Duration> reach() {
            return null;
          }
        };

    assertThatThrownBy(() -> calendar(new Counting(), List.of(broken)))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("'broken'")
        .hasMessageContaining("reach");
  }
}
