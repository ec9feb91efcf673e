package dev.steward.frequency;

import dev.steward.consent.Frequency;
import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limiter: rules are compiled once at build time; each decision is one store update over the
 * subjects the policy reads, and the deferral instant is a fix-point over the rules' own earliest
 * allowed instants (never polled).
 */
final class DefaultFrequencyCapLimiter implements FrequencyCapLimiter {
  static final String GATE = "frequency";
  private static final Logger LOG = LoggerFactory.getLogger(DefaultFrequencyCapLimiter.class);
  private static final long NEVER = Long.MAX_VALUE;
  private static final int MAX_ITERATIONS = 100_000;
  private static final int MAX_CACHED = 10_000;
  private static final int RULE_SET_SLOTS = 1024; // a power of two
  private static final int ZONE_SLOT_BITS = 6;
  private static final int SEND = LedgerEntry.Type.SEND.ordinal();
  private static final int ACTIVITY = LedgerEntry.Type.ACTIVITY.ordinal();

  private final CapLedgerStore store;
  private final Clock clock;
  private final CapPolicy policy;
  private final PreferenceSource preferences;
  private final long horizonSeconds;
  private final LimiterListener listener;

  private final CompiledCap[] caps;
  private final CoolDown[] coolDowns;
  private final int[] coolDownActivityIds;
  private final CompiledFilter[] coolDownFilters;
  private final String[] coolDownDetails;
  private final Reason[] coolDownAllows;
  private final Map<CalendarPeriod, CompiledCap> preferenceCaps =
      new EnumMap<>(CalendarPeriod.class);
  private final QuietHours quiet;
  private final SendWindow sendWindow;
  private final ZoneId fixedZone;
  private final boolean readContact;
  private final boolean readAccount;
  private final boolean recordContact;
  private final boolean recordAccount;
  private final long lookbackSeconds;
  private final int quietStart;
  private final int quietEnd;

  /**
   * The rule sets last used, by a hash of their key: a miss only recomputes (a few filter matches),
   * so a fixed array bounds the cache and a lookup boxes nothing.
   */
  private final RuleSet[] ruleSets = new RuleSet[RULE_SET_SLOTS];

  private final ConcurrentHashMap<ZoneId, ZoneView> zones = new ConcurrentHashMap<>();
  private final ZoneView[] zoneSlots = new ZoneView[1 << ZONE_SLOT_BITS];

  DefaultFrequencyCapLimiter(
      CapLedgerStore store,
      Clock clock,
      CapPolicy policy,
      PreferenceSource preferences,
      Duration horizon,
      LimiterListener listener) {
    this.store = store;
    this.clock = clock;
    this.policy = policy;
    this.preferences = preferences;
    this.horizonSeconds = horizon.getSeconds();
    this.listener = listener == LimiterListener.NOOP ? listener : new GuardedListener(listener);
    this.caps = policy.caps().stream().map(CompiledCap::of).toArray(CompiledCap[]::new);
    this.coolDowns = policy.coolDowns().toArray(CoolDown[]::new);
    this.coolDownActivityIds = new int[coolDowns.length];
    this.coolDownFilters = new CompiledFilter[coolDowns.length];
    this.coolDownDetails = new String[coolDowns.length];
    this.coolDownAllows = new Reason[coolDowns.length];
    long lookback = 0;
    boolean contactCaps = false;
    boolean accountCaps = false;
    boolean contactCool = false;
    boolean accountCool = false;
    for (CompiledCap c : caps) {
      contactCaps |= c.scope == CapScope.CONTACT;
      accountCaps |= c.scope == CapScope.ACCOUNT;
    }
    for (Cap c : policy.caps()) {
      lookback = Math.max(lookback, c.window().lookbackSeconds());
    }
    for (int i = 0; i < coolDowns.length; i++) {
      CoolDown c = coolDowns[i];
      coolDownActivityIds[i] = Interner.LABELS.id(c.activity());
      coolDownFilters[i] = new CompiledFilter(c.filter());
      coolDownDetails[i] =
          "no message within "
              + Window.rolling(c.length()).label()
              + " after "
              + c.scope().word()
              + " activity '"
              + c.activity()
              + "'";
      coolDownAllows[i] = new Reason(GATE, c.id(), Outcome.ALLOW, coolDownDetails[i], null, null);
      contactCool |= c.scope() == CapScope.CONTACT;
      accountCool |= c.scope() == CapScope.ACCOUNT;
      lookback = Math.max(lookback, c.length().getSeconds());
    }
    if (preferences != null) {
      for (CalendarPeriod p : CalendarPeriod.values()) {
        preferenceCaps.put(
            p,
            new CompiledCap(
                "preference",
                CapScope.CONTACT,
                1,
                Window.calendar(p),
                MessageFilter.ALL,
                true,
                "the contact chose at most 1 per calendar "
                    + p.name().toLowerCase(Locale.ROOT)
                    + " for this category"));
      }
      lookback = Math.max(lookback, CalendarPeriod.QUARTER.maxDays() * 86_400L);
    }
    this.quiet = policy.quietHours().orElse(null);
    this.sendWindow = policy.sendWindow().orElse(null);
    this.fixedZone = policy.zone().orElse(null);
    this.quietStart = quiet == null ? 0 : quiet.start().toSecondOfDay();
    this.quietEnd = quiet == null ? 0 : quiet.end().toSecondOfDay();
    this.recordContact = contactCaps || preferences != null;
    this.recordAccount = accountCaps;
    this.readContact = recordContact || contactCool;
    this.readAccount = recordAccount || accountCool;
    this.lookbackSeconds = lookback;
  }

  @Override
  public CapPolicy policy() {
    return policy;
  }

  @Override
  public Duration lookback() {
    return Duration.ofSeconds(lookbackSeconds);
  }

  // ------------------------------------------------------------------ decisions

  @Override
  public Decision decide(Message message) {
    checkMessage(message);
    return decide(message, clock.instant());
  }

  @Override
  public Decision decide(Message message, Instant at) {
    checkMessage(message);
    checkInstant(at, "now");
    long now = at.getEpochSecond();
    if (policy.isExempt(message)) {
      Decision d = exempt(message);
      listener.onDecision(message, d, false);
      return d;
    }
    Evaluation ev = prepare(message, now, true);
    List<SubjectKey> subjects = subjects(message);
    Decision decision;
    boolean reserved;
    if (subjects.isEmpty()) {
      decision = ev.evaluate(SendLog.empty(), SendLog.empty());
      reserved = false;
    } else {
      decision = store.update(subjects, ev);
      reserved = decision.isAllowed() && (recordContact || recordAccount);
    }
    if (!decision.isAllowed() && LOG.isDebugEnabled()) {
      LOG.debug("message {} to {}: {}", message.id(), message.contact(), decision);
    }
    listener.onDecision(message, decision, reserved);
    return decision;
  }

  static SendLog append(SendLog log, long now, long meta, long cutoff) {
    return log.prunedWithPacked(cutoff, now, meta);
  }

  @Override
  public Decision whatIf(Message message) {
    checkMessage(message);
    return whatIf(message, clock.instant());
  }

  @Override
  public Decision whatIf(Message message, Instant at) {
    checkMessage(message);
    checkInstant(at, "at");
    if (policy.isExempt(message)) {
      return exempt(message);
    }
    List<SubjectKey> subjects = subjects(message);
    List<SendLog> logs = subjects.isEmpty() ? List.of() : store.read(subjects);
    // ids are looked up only now: reading a log gives every label it holds an id, so a category
    // still without one is in no log and rightly counts nothing (and whatIf adds no ids of its own)
    Evaluation ev = prepare(message, at.getEpochSecond(), false);
    return ev.evaluate(
        readContact ? logs.get(0) : SendLog.empty(),
        readAccount ? logs.get(logs.size() - 1) : SendLog.empty());
  }

  /** See {@link FrequencyCapLimiter#release}: removes only the exact entry {@code decide} wrote. */
  @Override
  public void release(Message message, Instant decidedAt) {
    checkMessage(message);
    checkInstant(decidedAt, "decidedAt");
    if (policy.isExempt(message) || !(recordContact || recordAccount)) {
      listener.onRelease(message, decidedAt, false);
      return;
    }
    long second = decidedAt.getEpochSecond();
    long meta = sendMeta(message);
    List<SubjectKey> subjects = new ArrayList<>(2);
    if (recordContact) {
      subjects.add(SubjectKey.contact(message.tenant(), message.contact()));
    }
    if (recordAccount) {
      subjects.add(SubjectKey.account(message.tenant(), message.account()));
    }
    boolean released =
        store.update(
            subjects,
            logs -> {
              List<SendLog> out = new ArrayList<>(logs.size());
              boolean changed = false;
              for (SendLog log : logs) {
                SendLog next = withoutSend(log, second, meta);
                changed |= next != log;
                out.add(next);
              }
              return changed ? LedgerChange.write(true, out) : LedgerChange.unchanged(false);
            });
    listener.onRelease(message, decidedAt, released);
  }

  /**
   * See {@link FrequencyCapLimiter#recordSent}: appends the send that {@code decide} would have
   * written, unless the log already holds one of exactly that second and those attributes, without
   * asking any rule. A send older than every window counts in none, so it is not written at all.
   */
  @Override
  public void recordSent(Message message, Instant sentAt) {
    checkMessage(message);
    checkInstant(sentAt, "sentAt");
    if (policy.isExempt(message) || !(recordContact || recordAccount)) {
      return;
    }
    long second = sentAt.getEpochSecond();
    long cutoff = clock.instant().getEpochSecond() - lookbackSeconds;
    if (second < cutoff) {
      return;
    }
    long meta = sendMeta(message);
    List<SubjectKey> subjects = new ArrayList<>(2);
    if (recordContact) {
      subjects.add(SubjectKey.contact(message.tenant(), message.contact()));
    }
    if (recordAccount) {
      subjects.add(SubjectKey.account(message.tenant(), message.account()));
    }
    store.update(
        subjects,
        logs -> {
          List<SendLog> out = new ArrayList<>(logs.size());
          boolean changed = false;
          for (SendLog log : logs) {
            // the same message confirmed twice (a repeated event, two instances) counts once
            SendLog next =
                log.containsPacked(second, meta) ? log : append(log, second, meta, cutoff);
            changed |= next != log;
            out.add(next);
          }
          return changed ? LedgerChange.write(null, out) : LedgerChange.unchanged(null);
        });
  }

  /**
   * Removes the one send made at exactly {@code second} with exactly these attributes. A release
   * that finds none changes nothing: falling back to an older matching send would undo a send that
   * really went out (a repeated release, or one for a reservation already pruned).
   */
  private static SendLog withoutSend(SendLog log, long second, long meta) {
    return log.withoutPacked(second, meta);
  }

  @Override
  public void recordActivity(SubjectKey subject, String activity, Instant at) {
    if (subject == null) {
      throw new InvalidLimiterArgumentException("subject must not be null");
    }
    checkName(activity, "activity");
    checkInstant(at, "at");
    long meta =
        SendLog.meta(LedgerEntry.Type.ACTIVITY, null, null, Interner.LABELS.id(activity), -1);
    long cutoff = clock.instant().getEpochSecond() - lookbackSeconds;
    long second = at.getEpochSecond();
    store.update(
        List.of(subject),
        logs -> LedgerChange.write(null, List.of(append(logs.get(0), second, meta, cutoff))));
    listener.onActivity(subject, activity, at);
  }

  @Override
  public Decision admitJourney(TenantId tenant, ContactId contact, String journeyId, Instant at) {
    checkTenant(tenant);
    checkContact(contact);
    checkName(journeyId, "journeyId");
    checkInstant(at, "at");
    String rule = "concurrent-journeys";
    if (policy.maxConcurrentJourneys().isEmpty()) {
      Decision d =
          Decision.allow(Reason.of(GATE, rule, Outcome.ALLOW, "no limit on concurrent journeys"));
      listener.onJourneyAdmission(tenant, contact, journeyId, d);
      return d;
    }
    int limit = policy.maxConcurrentJourneys().getAsInt();
    long second = at.getEpochSecond();
    Decision decision =
        store.update(
            List.of(SubjectKey.contact(tenant, contact)),
            logs -> {
              SendLog log = logs.get(0);
              int active = 0;
              for (int i = 0; i < log.size(); i++) {
                String id = log.journeyId(i);
                if (id != null) {
                  if (id.equals(journeyId)) {
                    return LedgerChange.unchanged(
                        Decision.allow(
                            Reason.of(
                                GATE,
                                rule,
                                Outcome.ALLOW,
                                "already in journey '" + journeyId + "'")));
                  }
                  active++;
                }
              }
              String detail = active + " of at most " + limit + " concurrent journeys";
              if (active >= limit) {
                return LedgerChange.unchanged(
                    Decision.suppress(Reason.of(GATE, rule, Outcome.SUPPRESS, detail)));
              }
              return LedgerChange.write(
                  Decision.allow(Reason.of(GATE, rule, Outcome.ALLOW, detail)),
                  List.of(log.withJourney(second, journeyId)));
            });
    listener.onJourneyAdmission(tenant, contact, journeyId, decision);
    return decision;
  }

  @Override
  public boolean leaveJourney(TenantId tenant, ContactId contact, String journeyId) {
    checkTenant(tenant);
    checkContact(contact);
    checkName(journeyId, "journeyId");
    // matched by name inside the update: journey ids are never interned, so this works on an
    // instance (or after a restart) that never saw the journey admitted
    return store.update(
        List.of(SubjectKey.contact(tenant, contact)),
        logs -> {
          SendLog log = logs.get(0);
          SendLog next = log;
          for (int i = log.size() - 1; i >= 0; i--) {
            if (journeyId.equals(log.journeyId(i))) {
              next = next.withoutIndex(i);
            }
          }
          return next == log
              ? LedgerChange.unchanged(false)
              : LedgerChange.write(true, List.of(next));
        });
  }

  // ---- argument checks: null and range compares only, so decide() stays free of allocation

  private static void checkMessage(Message message) {
    if (message == null) {
      throw new InvalidLimiterArgumentException("message must not be null");
    }
  }

  private static void checkTenant(TenantId tenant) {
    if (tenant == null) {
      throw new InvalidLimiterArgumentException("tenant must not be null");
    }
  }

  private static void checkContact(ContactId contact) {
    if (contact == null) {
      throw new InvalidLimiterArgumentException("contact must not be null");
    }
  }

  /** Refuses null and instants no store holds (so in memory as in a database). */
  private static void checkInstant(Instant at, String argument) {
    if (at == null
        || at.compareTo(StoreLimits.MIN_INSTANT) < 0
        || at.compareTo(StoreLimits.MAX_INSTANT) > 0) {
      throw new InvalidLimiterArgumentException(argument + " " + StoreLimits.instantProblem(at));
    }
  }

  /** Refuses a name no store holds: the JDBC log keeps names in a length-limited UTF form. */
  private static void checkName(String name, String argument) {
    String problem = StoreLimits.textProblem(name, StoreLimits.MAX_NAME_LENGTH);
    if (problem != null) {
      throw new InvalidLimiterArgumentException(argument + " " + problem);
    }
  }

  /** The subjects whose logs the policy reads: contact first, then account. */
  private List<SubjectKey> subjects(Message message) {
    if (readContact && readAccount) {
      return List.of(
          SubjectKey.contact(message.tenant(), message.contact()),
          SubjectKey.account(message.tenant(), message.account()));
    }
    if (readContact) {
      return List.of(SubjectKey.contact(message.tenant(), message.contact()));
    }
    if (readAccount) {
      return List.of(SubjectKey.account(message.tenant(), message.account()));
    }
    return List.of();
  }

  private Decision exempt(Message message) {
    String why =
        policy.exemptKinds().contains(message.kind())
            ? message.kind() + " messages are exempt"
            : "priority " + message.priority() + " is exempt";
    return Decision.allow(Reason.of(GATE, "exempt", Outcome.ALLOW, why));
  }

  private static long sendMeta(Message m) {
    int category = Interner.LABELS.id(m.category());
    int team = Interner.TEAMS.id(m.source().team());
    return SendLog.meta(LedgerEntry.Type.SEND, m.kind(), m.channel(), category, team);
  }

  /** Prepares an evaluation; {@code intern} false looks ids up without assigning any (-1: none). */
  private Evaluation prepare(Message m, long now, boolean intern) {
    String c = m.category();
    String t = m.source().team();
    int category = intern ? Interner.LABELS.id(c) : Interner.LABELS.existingId(c);
    int team = intern ? Interner.TEAMS.id(t) : Interner.TEAMS.existingId(t);
    RuleSet set = ruleSet(m, category, team);
    CompiledCap[] applicable = set.caps;
    String preferenceId = null;
    if (preferences != null) {
      Frequency f = preferences.frequency(m.contact(), m.category());
      CalendarPeriod p = f == null ? null : period(f);
      if (p != null) {
        applicable = Arrays.copyOf(set.caps, set.caps.length + 1);
        applicable[set.caps.length] = preferenceCaps.get(p);
        preferenceId = "preference-" + f.name().toLowerCase(Locale.ROOT) + "-" + m.category();
      }
    }
    ZoneId zone = fixedZone != null ? fixedZone : m.recipientZone();
    return new Evaluation(m, now, zone, category, team, applicable, preferenceId, set.coolDowns);
  }

  /**
   * The caps and cool-downs that apply to messages like {@code m}, cached by their attributes.
   * Every filter was compiled to ids, so the ids decide alone, and a category or team without an id
   * (-1: named by no filter) shares one entry with all others like it, correctly.
   */
  private RuleSet ruleSet(Message m, int category, int team) {
    int kind = m.kind().ordinal();
    int channel = m.channel().ordinal();
    long key = kind | (long) channel << 3 | (long) (category + 1) << 6 | (long) (team + 1) << 35;
    int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> 54) & (RULE_SET_SLOTS - 1);
    RuleSet cached = ruleSets[slot];
    if (cached != null && cached.key == key) {
      return cached;
    }
    List<CompiledCap> applicable = new ArrayList<>(caps.length);
    for (CompiledCap c : caps) {
      if (c.applies(kind, channel, category, team)) {
        applicable.add(c);
      }
    }
    int[] cools = new int[coolDowns.length];
    int n = 0;
    for (int i = 0; i < coolDowns.length; i++) {
      if (coolDownFilters[i].matches(kind, channel, category, team)) {
        cools[n++] = i;
      }
    }
    RuleSet set = new RuleSet(key, applicable.toArray(CompiledCap[]::new), Arrays.copyOf(cools, n));
    ruleSets[slot] = set; // a benign race: RuleSet is immutable and its key checked before use
    return set;
  }

  /**
   * The zone's view, cached per zone (up to a bound; beyond it, made per decision). A small array
   * by the zone's hash answers first: recipients' zones are few, and it costs no map lookup.
   */
  private ZoneView zoneView(ZoneId zone) {
    int slot = (zone.hashCode() * 0x9E3779B9) >>> (32 - ZONE_SLOT_BITS);
    ZoneView v = zoneSlots[slot];
    if (v != null && (v.zone == zone || v.zone.equals(zone))) {
      return v;
    }
    v = mappedZoneView(zone);
    zoneSlots[slot] = v; // a benign race: ZoneView is safe to share and its zone checked first
    return v;
  }

  private ZoneView mappedZoneView(ZoneId zone) {
    ZoneView v = zones.get(zone);
    if (v == null) {
      v = new ZoneView(zone, quiet, sendWindow);
      if (zones.size() < MAX_CACHED) {
        ZoneView raced = zones.putIfAbsent(zone, v);
        v = raced == null ? v : raced;
      }
    }
    return v;
  }

  private record RuleSet(long key, CompiledCap[] caps, int[] coolDowns) {}

  /**
   * Runs the user's listener so that it cannot fail a call: by the time it runs the store was
   * written, and an exception out of {@code decide} would leave a reserved slot its caller never
   * releases.
   */
  private static final class GuardedListener implements LimiterListener {
    private final LimiterListener delegate;

    GuardedListener(LimiterListener delegate) {
      this.delegate = delegate;
    }

    @Override
    public void onDecision(Message message, Decision decision, boolean reserved) {
      try {
        delegate.onDecision(message, decision, reserved);
      } catch (RuntimeException e) {
        failed("onDecision", message.id(), e);
      }
    }

    @Override
    public void onRelease(Message message, Instant decidedAt, boolean released) {
      try {
        delegate.onRelease(message, decidedAt, released);
      } catch (RuntimeException e) {
        failed("onRelease", message.id(), e);
      }
    }

    @Override
    public void onActivity(SubjectKey subject, String activity, Instant at) {
      try {
        delegate.onActivity(subject, activity, at);
      } catch (RuntimeException e) {
        failed("onActivity", subject, e);
      }
    }

    @Override
    public void onJourneyAdmission(
        TenantId tenant, ContactId contact, String journeyId, Decision decision) {
      try {
        delegate.onJourneyAdmission(tenant, contact, journeyId, decision);
      } catch (RuntimeException e) {
        failed("onJourneyAdmission", contact, e);
      }
    }

    private void failed(String callback, Object about, RuntimeException e) {
      LOG.warn("limiter listener {} failed in {} for {}; ignored", delegate, callback, about, e);
    }
  }

  private static CalendarPeriod period(Frequency f) {
    return switch (f) {
      case DAILY -> CalendarPeriod.DAY;
      case WEEKLY -> CalendarPeriod.WEEK;
      case MONTHLY -> CalendarPeriod.MONTH;
      case QUARTERLY -> CalendarPeriod.QUARTER;
      case AS_IT_HAPPENS -> null;
    };
  }

  // ------------------------------------------------------------------ one evaluation

  /**
   * One message at one instant: applies the rules to the logs and explains the answer; as the
   * store's update function, also reserves the slot of an allowed message.
   */
  private final class Evaluation implements Function<List<SendLog>, LedgerChange<Decision>> {
    final Message message;
    final long now;
    final ZoneId zone;
    final int category;
    final int team;
    final CompiledCap[] caps;
    final String preferenceId;
    final int[] cools;
    SendLog contactLog;
    SendLog accountLog;
    private ZoneView view;
    private Instant nowPlusOne;

    Evaluation(
        Message message,
        long now,
        ZoneId zone,
        int category,
        int team,
        CompiledCap[] caps,
        String preferenceId,
        int[] cools) {
      this.message = message;
      this.now = now;
      this.zone = zone;
      this.category = category;
      this.team = team;
      this.caps = caps;
      this.preferenceId = preferenceId;
      this.cools = cools;
    }

    /** Decides on the subjects' logs (contact first, then account) and records an allowed send. */
    @Override
    public LedgerChange<Decision> apply(List<SendLog> logs) {
      SendLog contact = readContact ? logs.get(0) : SendLog.empty();
      SendLog account = readAccount ? logs.get(logs.size() - 1) : SendLog.empty();
      Decision d = evaluate(contact, account);
      if (!d.isAllowed() || !(recordContact || recordAccount)) {
        return LedgerChange.unchanged(d);
      }
      long meta = sendMeta();
      long cutoff = now - lookbackSeconds;
      SendLog c = recordContact ? append(contact, now, meta, cutoff) : contact;
      SendLog a = recordAccount ? append(account, now, meta, cutoff) : account;
      return LedgerChange.write(
          d, readContact && readAccount ? List.of(c, a) : List.of(readContact ? c : a));
    }

    long sendMeta() {
      return SendLog.meta(LedgerEntry.Type.SEND, message.kind(), message.channel(), category, team);
    }

    SendLog log(CapScope scope) {
      return scope == CapScope.CONTACT ? contactLog : accountLog;
    }

    /** Looked up only when a rule reads local time: a policy without one never needs the zone. */
    ZoneView view() {
      ZoneView v = view;
      if (v == null) {
        v = zoneView(zone);
        view = v;
      }
      return v;
    }

    /**
     * Explains every rule at {@code now} first, then looks for the first instant all rules allow
     * from the latest instant any one rule allows: no instant before it can be allowed by all, so
     * the fix-point finds the same answer as from {@code now}, without counting each rule twice.
     */
    Decision evaluate(SendLog contact, SendLog account) {
      this.contactLog = contact;
      this.accountLog = account;
      boolean zeroCap = false;
      for (CompiledCap c : caps) {
        zeroCap |= c.max == 0;
      }
      Reason[] reasons =
          new Reason
              [caps.length + cools.length + (quiet != null ? 1 : 0) + (sendWindow != null ? 1 : 0)];
      int n = 0;
      long latest = now;
      for (CompiledCap c : caps) {
        Reason r = capReason(c);
        reasons[n++] = r;
        latest = Math.max(latest, from(r));
      }
      for (int i : cools) {
        long from = earliestCoolDown(i, now);
        reasons[n++] = ruleReason(coolDowns[i].id(), coolDownDetails[i], coolDownAllows[i], from);
        latest = Math.max(latest, from);
      }
      if (quiet != null) {
        long from = earliestOutsideQuiet(now);
        reasons[n++] = ruleReason("quiet-hours", view().quietDetail, view().quietAllow, from);
        latest = Math.max(latest, from);
      }
      if (sendWindow != null) {
        long from = earliestInWindow(now);
        reasons[n++] = ruleReason("send-window", view().windowDetail, view().windowAllow, from);
        latest = Math.max(latest, from);
      }
      if (zeroCap) {
        return Decision.suppress(List.of(reasons));
      }
      // every rule allows now: that is the fix-point, no need to ask each rule again
      long at = latest == now ? now : fixPoint(latest, countsOnlyFall());
      if (at == now) {
        return Decision.allow(List.of(reasons));
      }
      if (at == NEVER) {
        Reason[] all = Arrays.copyOf(reasons, reasons.length + 1);
        all[reasons.length] =
            Reason.of(
                GATE,
                "horizon",
                Outcome.SUPPRESS,
                "no slot within " + Duration.ofSeconds(horizonSeconds).toDays() + " days");
        return Decision.suppress(List.of(all));
      }
      return Decision.defer(Instant.ofEpochSecond(at), List.of(reasons));
    }

    /** The first instant a rule's reason allows: now, its allowedFrom, or never. */
    private long from(Reason r) {
      return r.allowedFrom() != null
          ? r.allowedFrom().getEpochSecond()
          : r.effect() == Outcome.SUPPRESS ? NEVER : now;
    }

    /**
     * True when no entry of either log lies after now (no other instance's clock ran ahead). Then
     * every counting rule (caps, calendar caps, cool-downs) only ever goes from refusing to
     * allowing as time moves on: its window loses entries and gains none. Each allows from its own
     * earliest instant, which is at or before the fix-point's start, so only local-time rules need
     * asking.
     */
    private boolean countsOnlyFall() {
      return newest(contactLog) <= now && newest(accountLog) <= now;
    }

    private long newest(SendLog log) {
      return log.isEmpty() ? Long.MIN_VALUE : log.second(log.size() - 1);
    }

    private long fixPoint(long start, boolean countsOnlyFall) {
      long limit = now + horizonSeconds;
      if (start > limit) {
        return NEVER;
      }
      long t = start;
      for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
        long next = t;
        if (!countsOnlyFall) {
          for (CompiledCap c : caps) {
            next = earliestCap(c, next);
          }
          for (int i : cools) {
            next = earliestCoolDown(i, next);
          }
        }
        if (quiet != null && next <= limit) {
          next = earliestOutsideQuiet(next);
        }
        if (sendWindow != null && next <= limit) {
          next = earliestInWindow(next);
        }
        if (next == t) {
          return t;
        }
        if (next > limit) {
          return NEVER;
        }
        t = next;
      }
      return NEVER;
    }

    // ---- each rule: the first instant >= t at which it allows the message

    long earliestCap(CompiledCap c, long t) {
      SendLog log = log(c.scope);
      while (true) {
        if (c.rollingSeconds > 0) {
          long w = c.rollingSeconds;
          int count = countRolling(c, log, t);
          if (count < c.max) {
            return t;
          }
          // the window must lose count-max+1 sends: wait until the (count-max+1)-th oldest leaves
          int k = count - c.max + 1;
          long from = t - w;
          for (int i = 0, seen = 0; i < log.size(); i++) {
            long e = log.second(i);
            if (e > from && c.counts(log.meta(i), category) && ++seen == k) {
              t = e + w;
              break;
            }
          }
        } else {
          ZoneView.Bounds b = view().bounds(c.period, t);
          if (countBetween(c, log, b.start(), b.end()) < c.max) {
            return t;
          }
          t = b.end();
        }
      }
    }

    int countRolling(CompiledCap c, SendLog log, long t) {
      long from = t - c.rollingSeconds;
      int count = 0;
      for (int i = log.size() - 1; i >= 0; i--) {
        long e = log.second(i);
        if (e <= from) {
          break;
        }
        // a send after t (another instance's clock runs ahead) counts as if at t, so clock skew
        // between instances cannot let a window overflow
        if (c.counts(log.meta(i), category)) {
          count++;
        }
      }
      return count;
    }

    int countBetween(CompiledCap c, SendLog log, long start, long end) {
      int count = 0;
      for (int i = log.size() - 1; i >= 0; i--) {
        long e = log.second(i);
        if (e < start) {
          break;
        }
        if (e < end && c.counts(log.meta(i), category)) {
          count++;
        }
      }
      return count;
    }

    long earliestCoolDown(int index, long t) {
      CoolDown c = coolDowns[index];
      SendLog log = log(c.scope());
      int activity = coolDownActivityIds[index];
      long length = c.length().getSeconds();
      while (true) {
        long next = t;
        for (int i = 0; i < log.size(); i++) {
          long a = log.second(i);
          long m = log.meta(i);
          if (a <= t
              && a + length > t
              && SendLog.type(m) == ACTIVITY
              && SendLog.label(m) == activity) {
            next = Math.max(next, a + length);
          }
        }
        if (next == t) {
          return t;
        }
        t = next;
      }
    }

    long earliestOutsideQuiet(long t) {
      ZoneView v = view();
      long local = v.local(t);
      int sod = ZoneMath.secondOfDay(local);
      boolean crossesMidnight = quietStart > quietEnd;
      boolean isQuiet =
          crossesMidnight
              ? sod >= quietStart || sod < quietEnd
              : sod >= quietStart && sod < quietEnd;
      if (!isQuiet) {
        return t;
      }
      long endDay = local - sod + (crossesMidnight && sod >= quietStart ? 86_400L : 0L);
      return Math.max(t, v.instantOf(endDay + quietEnd, t));
    }

    long earliestInWindow(long t) {
      ZoneView v = view();
      long local = v.local(t);
      LocalDate date = ZoneMath.date(local);
      if (sendWindow.isOpen(date.getDayOfWeek(), ZoneMath.secondOfDay(local))) {
        return t;
      }
      int from = sendWindow.from().toSecondOfDay();
      int to = sendWindow.to().toSecondOfDay();
      for (int d = 0; d <= 8; d++) {
        LocalDate day = date.plusDays(d);
        if (!sendWindow.days().contains(day.getDayOfWeek())) {
          continue;
        }
        long dayStart = day.toEpochDay() * 86_400L;
        long open = v.instantOf(dayStart + from, t);
        long close = v.instantOf(dayStart + to, t);
        long candidate = Math.max(open, t);
        if (candidate < close) {
          long l = v.local(candidate);
          DayOfWeek dow = ZoneMath.date(l).getDayOfWeek();
          if (sendWindow.isOpen(dow, ZoneMath.secondOfDay(l))) {
            return candidate;
          }
        }
      }
      return NEVER;
    }

    // ---- the explanation

    /** A rule's reason; {@code allow}, the same every time, when the rule allows now. */
    private Reason ruleReason(String id, String detail, Reason allow, long from) {
      return from == now
          ? allow
          : from == NEVER
              ? new Reason(GATE, id, Outcome.SUPPRESS, detail, null, null)
              : new Reason(GATE, id, Outcome.DEFER, detail, null, Instant.ofEpochSecond(from));
    }

    private Reason capReason(CompiledCap c) {
      SendLog log = log(c.scope);
      long used;
      Instant start;
      Instant end;
      String id = c.id.equals("preference") ? preferenceId : c.id;
      if (c.rollingSeconds > 0) {
        used = countRolling(c, log, now);
        CompiledCap.Second second = c.second(now);
        if (used < c.max && second.allows != null && id == c.id) {
          return second.allow((int) used, id); // everything in it is as below, so shared
        }
        start = second.start;
        end = second.end;
      } else {
        ZoneView.Bounds b = view().bounds(c.period, now);
        used = countBetween(c, log, b.start(), b.end());
        start = Instant.ofEpochSecond(b.start());
        end = Instant.ofEpochSecond(b.end());
      }
      Reason.Usage usage = new Reason.Usage(used, c.max, start, end);
      if (c.max == 0) {
        return new Reason(GATE, id, Outcome.SUPPRESS, c.detail, usage, null);
      }
      // the cap allows now exactly when its window holds fewer than max: no search needed then
      long from = used < c.max ? now : earliestCap(c, now);
      Outcome effect = from == now ? Outcome.ALLOW : Outcome.DEFER;
      return new Reason(
          GATE, id, effect, c.detail, usage, from == now ? null : Instant.ofEpochSecond(from));
    }
  }
}
