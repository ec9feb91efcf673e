package dev.steward.calendar;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A rule of the {@link CommunicationCalendar} that says whether a candidate communication clashes
 * with what is already on the calendar. The built-in rules are records (plain data, validated on
 * construction); users may add their own.
 */
public interface ConflictRule {

  /** The kinds the built-in rules look at by default: everything but account mail. */
  Set<MessageKind> NON_ACCOUNT_KINDS =
      Set.copyOf(
          EnumSet.of(MessageKind.EDUCATIONAL, MessageKind.RELATIONSHIP, MessageKind.PROMOTIONAL));

  /** A stable id used in conflicts ("different-teams-same-day/contact"). */
  String id();

  /**
   * The conflicts of a candidate communication; empty when clear. The view shows neither cancelled
   * entries nor an earlier version of the candidate itself.
   */
  List<CalendarConflict> check(CalendarEntry candidate, View view);

  /**
   * How far from the candidate's time, either way, this rule reads the calendar; empty (the
   * default) when it does not say. When every rule of a calendar says, the calendar reads each of
   * the candidate's account and contact once, over the widest reach (and what a rule asks beyond
   * it), and serves every rule's reads of them from that: one range read per scope however many
   * rules check. A rule that reads beyond its reach still sees every entry it asks for, at the
   * price of another read.
   */
  default Optional<Duration> reach() {
    return Optional.empty();
  }

  /** Who a rule looks at: the one contact, or everyone at the account. */
  enum Scope {
    /** The candidate's contact (and account-wide communications, which reach every contact). */
    CONTACT,
    /** Everyone at the candidate's account. */
    ACCOUNT
  }

  /**
   * What a rule may read of the calendar: the candidate's tenant's entries, and no other's. While
   * the calendar schedules, the candidate's account and contact are locked (see {@link
   * CalendarStore#update}): what a rule reads of them cannot change until the candidate is written
   * or refused, in any instance sharing the store. Reads of other accounts or contacts see
   * committed entries that may change meanwhile. A rule may run more than once for one scheduling
   * (a database transaction undone by the database is run again), so it must have no side effect.
   */
  interface View {
    /**
     * Entries of the account with {@code from <= at < to}, in time order, cancelled ones left out.
     */
    List<CalendarEntry> forAccount(AccountId account, Instant from, Instant to);

    /**
     * Entries of the contact with {@code from <= at < to}, in time order, cancelled ones left out.
     */
    List<CalendarEntry> forContact(ContactId contact, Instant from, Instant to);

    /** The zone whose calendar days count for the contact (or, when null, for the account). */
    ZoneId zone(AccountId account, ContactId contact);
  }

  /**
   * Where the calendar finds time zones: a contact's own, or the account's when contact is null.
   */
  @FunctionalInterface
  interface Zones {
    /** Every contact and account in UTC. */
    Zones UTC = (tenant, account, contact) -> ZoneOffset.UTC;

    /**
     * The zone of the tenant's contact at the account, or of the account when {@code contact} is
     * null.
     */
    ZoneId zone(TenantId tenant, AccountId account, ContactId contact);

    /** Every contact and account in one zone. */
    static Zones fixed(ZoneId zone) {
      Objects.requireNonNull(zone, "zone");
      return (tenant, account, contact) -> zone;
    }
  }

  /** Two different teams may not reach the same contact (or account) on the same local day. */
  static DifferentTeamsSameDay differentTeamsSameDay(Scope scope) {
    return new DifferentTeamsSameDay(scope, NON_ACCOUNT_KINDS);
  }

  /** At most {@code max} campaigns at once for an account, each lasting {@code length}. */
  static CampaignsAtOnce campaignsAtOnce(int max, Duration length) {
    return new CampaignsAtOnce(max, length);
  }

  /** No communication within {@code cooldown} after a complaint of the contact (or account). */
  static ComplaintCooldown complaintCooldown(Duration cooldown, Scope scope) {
    return new ComplaintCooldown(cooldown, scope, NON_ACCOUNT_KINDS);
  }

  /**
   * Two different teams on the same calendar day: with scope CONTACT, the day in the contact's zone
   * and the contact's communications (plus account-wide ones); with scope ACCOUNT, the day in the
   * account's zone and every communication of the account. Only communications of the given kinds
   * count, on both sides.
   */
  record DifferentTeamsSameDay(Scope scope, Set<MessageKind> kinds) implements ConflictRule {
    public DifferentTeamsSameDay {
      CalendarRules.notNull(scope, "different-teams-same-day", "scope");
      kinds = CalendarRules.kinds(kinds, "different-teams-same-day");
    }

    @Override
    public String id() {
      return "different-teams-same-day/" + CalendarRules.lower(scope);
    }

    /** Two days: the candidate's local day, in any zone and across a DST change, lies within. */
    @Override
    public Optional<Duration> reach() {
      return Optional.of(Duration.ofDays(2));
    }

    @Override
    public List<CalendarConflict> check(CalendarEntry candidate, View view) {
      if (!kinds.contains(candidate.kind().orElse(null))) {
        return List.of();
      }
      boolean perContact = scope == Scope.CONTACT && candidate.contact().isPresent();
      ZoneId zone = view.zone(candidate.account(), perContact ? candidate.contact().get() : null);
      LocalDate day = candidate.at().atZone(zone).toLocalDate();
      Instant from = day.atStartOfDay(zone).toInstant();
      Instant to = day.plusDays(1).atStartOfDay(zone).toInstant();
      List<CalendarEntry> others =
          CalendarRules.reaching(candidate, perContact, view, from, to).stream()
              .filter(e -> e.type() == CalendarEntry.Type.COMMUNICATION)
              .filter(e -> kinds.contains(e.kind().orElse(null)))
              .filter(e -> !e.team().orElseThrow().equals(candidate.team().orElse(null)))
              .toList();
      if (others.isEmpty()) {
        return List.of();
      }
      String who =
          perContact
              ? "contact " + candidate.contact().orElseThrow()
              : "account " + candidate.account();
      String teams =
          others.stream()
              .map(e -> e.team().orElseThrow())
              .collect(Collectors.toCollection(TreeSet::new))
              .stream()
              .map(t -> "'" + t + "'")
              .collect(Collectors.joining(", "));
      return List.of(
          new CalendarConflict(
              id(),
              others,
              "team '"
                  + candidate.team().orElse(null)
                  + "' would reach "
                  + who
                  + " on "
                  + day
                  + " ("
                  + zone
                  + "), a day on which team "
                  + teams
                  + " already does"));
    }
  }

  /**
   * At most {@code max} campaigns at once for an account. Every campaign entry occupies {@code [at,
   * at + length)}; a candidate campaign conflicts when, counting itself, more than {@code max}
   * distinct campaigns of the account occupy time that overlaps its own. To limit campaigns per
   * rolling window instead, use the window as the length.
   */
  record CampaignsAtOnce(int max, Duration length) implements ConflictRule {
    public CampaignsAtOnce {
      if (max < 1) {
        throw new InvalidCalendarException("campaigns-at-once: max must be at least 1, was " + max);
      }
      CalendarRules.positive(length, "campaigns-at-once", "length");
    }

    @Override
    public String id() {
      return "campaigns-at-once/" + max + "-per-" + length;
    }

    /** The campaign length: the campaigns that overlap the candidate's start within it. */
    @Override
    public Optional<Duration> reach() {
      return Optional.of(length);
    }

    @Override
    public List<CalendarConflict> check(CalendarEntry candidate, View view) {
      if (candidate.campaign().isEmpty()) {
        return List.of();
      }
      String campaign = candidate.campaign().get();
      // [a, a+L) and [b, b+L) overlap exactly when |a - b| < L
      Instant from = candidate.at().minus(length).plusNanos(1);
      Instant to = candidate.at().plus(length);
      Map<String, List<CalendarEntry>> byCampaign = new LinkedHashMap<>();
      for (CalendarEntry e : view.forAccount(candidate.account(), from, to)) {
        if (e.type() == CalendarEntry.Type.COMMUNICATION
            && e.campaign().isPresent()
            && !e.campaign().get().equals(campaign)) {
          byCampaign.computeIfAbsent(e.campaign().get(), k -> new ArrayList<>()).add(e);
        }
      }
      if (byCampaign.size() + 1 <= max) {
        return List.of();
      }
      List<CalendarEntry> others =
          byCampaign.values().stream()
              .flatMap(List::stream)
              .sorted(Comparator.comparing(CalendarEntry::at).thenComparing(CalendarEntry::id))
              .toList();
      String names =
          new TreeSet<>(byCampaign.keySet())
              .stream().map(c -> "'" + c + "'").collect(Collectors.joining(", "));
      return List.of(
          new CalendarConflict(
              id(),
              others,
              "campaign '"
                  + campaign
                  + "' would be one of "
                  + (byCampaign.size() + 1)
                  + " campaigns at once for account "
                  + candidate.account()
                  + " (with "
                  + names
                  + "); at most "
                  + max
                  + " may run within "
                  + length
                  + " of each other"));
    }
  }

  /**
   * No communication of the given kinds within {@code cooldown} after a complaint: with scope
   * CONTACT, a complaint of the candidate's contact or an account-wide one (an account-wide
   * candidate meets every complaint of its account); with scope ACCOUNT, any complaint at the
   * account. A complaint at {@code c} holds back communications in {@code [c, c + cooldown)}.
   */
  record ComplaintCooldown(Duration cooldown, Scope scope, Set<MessageKind> kinds)
      implements ConflictRule {
    public ComplaintCooldown {
      CalendarRules.positive(cooldown, "complaint-cooldown", "cooldown");
      CalendarRules.notNull(scope, "complaint-cooldown", "scope");
      kinds = CalendarRules.kinds(kinds, "complaint-cooldown");
    }

    @Override
    public String id() {
      return "complaint-cooldown/" + CalendarRules.lower(scope) + "/" + cooldown;
    }

    /** The cool-down: the complaints before the candidate within it. */
    @Override
    public Optional<Duration> reach() {
      return Optional.of(cooldown);
    }

    @Override
    public List<CalendarConflict> check(CalendarEntry candidate, View view) {
      if (!kinds.contains(candidate.kind().orElse(null))) {
        return List.of();
      }
      boolean perContact = scope == Scope.CONTACT && candidate.contact().isPresent();
      Instant from = candidate.at().minus(cooldown).plusNanos(1);
      Instant to = candidate.at().plusNanos(1);
      List<CalendarEntry> complaints =
          CalendarRules.reaching(candidate, perContact, view, from, to).stream()
              .filter(e -> e.type() == CalendarEntry.Type.COMPLAINT)
              .toList();
      if (complaints.isEmpty()) {
        return List.of();
      }
      CalendarEntry last = complaints.get(complaints.size() - 1);
      String who =
          last.contact().map(c -> "contact " + c).orElseGet(() -> "account " + last.account());
      return List.of(
          new CalendarConflict(
              id(),
              complaints,
              who
                  + " complained at "
                  + last.at()
                  + "; no communication before "
                  + last.at().plus(cooldown)
                  + " (cool-down "
                  + cooldown
                  + ")"));
    }
  }
}
