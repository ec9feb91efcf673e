package dev.steward.frequency;

import dev.steward.consent.Frequency;
import dev.steward.delivery.Decision;
import dev.steward.internal.Sized;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limiter: each tenant's policy (under the floor, if any) is compiled once and kept; each
 * decision is one store update over the subjects the policy reads, and the deferral instant is a
 * fix-point over the rules' own earliest allowed instants (never polled), computed by an {@link
 * Evaluation}.
 */
final class DefaultFrequencyCapLimiter implements FrequencyCapLimiter {
  static final String GATE = "frequency";
  private static final Logger LOG = LoggerFactory.getLogger(DefaultFrequencyCapLimiter.class);

  /** Compiled policies kept by equality; beyond this many the cache starts again (bounded). */
  private static final int MAX_POLICIES = 4096;

  private static final int POLICY_SLOTS = 64; // a power of two

  private final CapLedgerStore store;
  private final Clock clock;
  private final CapPolicyResolver resolver;
  private final CapPolicy floor;
  private final PreferenceSource preferences;
  private final long horizonSeconds;
  private final long retainSeconds;
  private final LimiterListener listener;

  /**
   * The ids of this limiter's categories, activity names and teams: its own, so that two limiters
   * in one JVM share no state; logs read from a store are bound to it before they are counted.
   */
  private final Vocabulary vocabulary = new Vocabulary();

  /** Decide on a read first (see {@link #decideReadFirst}): the store's update costs more. */
  private final boolean readFirst;

  /**
   * The policy last used, found by identity: one tenant, or one policy for all, costs no lookup.
   */
  private Slot last;

  /** Policies by identity hash, then {@link #compiled} by equality (a fresh but equal instance). */
  private final Slot[] slots = new Slot[POLICY_SLOTS];

  private final ConcurrentHashMap<CapPolicy, CompiledPolicy> compiled = new ConcurrentHashMap<>();

  /** The longest lookback of any policy this limiter has compiled (see {@link #lookback()}). */
  private final AtomicLong longestLookback = new AtomicLong();

  DefaultFrequencyCapLimiter(
      CapLedgerStore store,
      Clock clock,
      CapPolicyResolver resolver,
      CapPolicy fixed,
      CapPolicy floor,
      PreferenceSource preferences,
      Duration horizon,
      Duration retainAtLeast,
      LimiterListener listener) {
    this.store = store;
    this.clock = clock;
    this.resolver = resolver;
    this.floor = floor;
    this.preferences = preferences;
    this.horizonSeconds = horizon.getSeconds();
    this.retainSeconds = retainAtLeast.getSeconds();
    this.listener =
        listener == LimiterListener.NOOP ? listener : new GuardedListener(listener, LOG);
    this.readFirst = store.updateCostsMoreThanRead();
    // what is known now counts in lookback() from the start
    compile(fixed != null ? fixed : CapPolicy.builder().build());
  }

  @Override
  public CapPolicy policy(TenantId tenant) {
    checkTenant(tenant);
    return resolve(tenant);
  }

  @Override
  public Optional<CapPolicy> floor() {
    return Optional.ofNullable(floor);
  }

  /**
   * The longest of {@code retainAtLeast} and the lookbacks of every policy this limiter has
   * compiled: with one policy for all tenants, that policy's (and the floor's).
   */
  @Override
  public Duration lookback() {
    return Duration.ofSeconds(Math.max(retainSeconds, longestLookback.get()));
  }

  private CapPolicy resolve(TenantId tenant) {
    CapPolicy policy = resolver.policyFor(tenant);
    if (policy == null) {
      throw new InvalidPolicyException(
          "policy: the resolver gave no cap policy for tenant '" + tenant + "'");
    }
    return policy;
  }

  /** Whether the tenant's policy now reads or writes account send logs (a cap per account). */
  boolean countsAccounts(TenantId tenant) {
    CompiledPolicy p = compiled(tenant);
    return p.readAccount || p.recordAccount;
  }

  /** This limiter's vocabulary (tests look ids up in it). */
  Vocabulary vocabulary() {
    return vocabulary;
  }

  /**
   * The compiled form of {@code tenant}'s policy now: the resolver is asked every time, so a
   * changed policy applies to this decision; compiling happens once per distinct policy.
   */
  CompiledPolicy compiled(TenantId tenant) {
    CapPolicy policy = resolve(tenant);
    Slot s = last;
    if (s != null && s.policy == policy) {
      return s.compiled;
    }
    int i = System.identityHashCode(policy) & (POLICY_SLOTS - 1);
    s = slots[i];
    if (s == null || s.policy != policy) {
      s = new Slot(policy, compile(policy));
      slots[i] = s; // benign races: a Slot is immutable, and checked before use
    }
    last = s;
    return s.compiled;
  }

  private CompiledPolicy compile(CapPolicy policy) {
    CompiledPolicy c = compiled.get(policy);
    if (c != null) {
      return c;
    }
    c = new CompiledPolicy(policy, floor, preferences != null, vocabulary);
    if (compiled.size() >= MAX_POLICIES) {
      compiled.clear(); // bounded: policies in use are compiled again on their next decision
    }
    CompiledPolicy raced = compiled.putIfAbsent(policy, c);
    c = raced == null ? c : raced;
    longestLookback.accumulateAndGet(c.lookbackSeconds, Math::max);
    return c;
  }

  /** One policy instance and its compiled form. */
  private record Slot(CapPolicy policy, CompiledPolicy compiled) {}

  // ------------------------------------------------------------------ decisions

  @Override
  public Decision decide(Message message) {
    checkMessage(message);
    return decideAt(message, nowSecond());
  }

  /**
   * The clock's second, read through {@code millis()} where that is safe: a decision is taken per
   * second, and a clock that keeps its time as a number (the system clock does) then answers
   * without allocating. Near the storable range's ends, and for a clock whose {@code millis()}
   * fails (an instant beyond a long of milliseconds, or Java 17's {@code Clock.tick} finer than a
   * millisecond, which divides by zero), the instant decides, exactly as {@code decide(m, at)}.
   */
  private long nowSecond() {
    long now;
    try {
      now = Math.floorDiv(clock.millis(), 1000L);
    } catch (ArithmeticException e) {
      now = MIN_SECOND; // read the instant below
    }
    if (now <= MIN_SECOND || now >= MAX_SECOND) {
      Instant at = clock.instant();
      checkInstant(at, "now");
      return at.getEpochSecond();
    }
    return now;
  }

  @Override
  public Decision decide(Message message, Instant at) {
    checkMessage(message);
    checkInstant(at, "now");
    return decideAt(message, at.getEpochSecond());
  }

  private Decision decideAt(Message message, long now) {
    CompiledPolicy p = compiled(message.tenant());
    if (p.isExempt(message)) {
      Decision d = p.exempt(message);
      listener.onDecision(message, d, false);
      return d;
    }
    Evaluation ev = prepare(p, message, now, true);
    List<SubjectKey> subjects = subjects(p, message);
    Decision decision;
    boolean reserved;
    if (subjects.isEmpty()) {
      decision = ev.evaluate(SendLog.empty(), SendLog.empty());
      reserved = false;
    } else if (readFirst) {
      decision = decideReadFirst(subjects, ev);
      reserved = decision.isAllowed() && (p.recordContact || p.recordAccount);
    } else {
      decision = store.update(subjects, ev);
      reserved = decision.isAllowed() && (p.recordContact || p.recordAccount);
    }
    if (!decision.isAllowed() && LOG.isDebugEnabled()) {
      LOG.debug("message {} to {}: {}", message.id(), message.contact(), decision);
    }
    listener.onDecision(message, decision, reserved);
    return decision;
  }

  /**
   * {@link #decide(Message, Instant)} for each message in list order, in one store update over the
   * union of their subjects (and, when the store's update costs more than a read, one read before
   * it: a list refused entirely on the committed logs writes nothing, as a single refusal does).
   * Within the update each message is decided on the logs as the messages before it left them, so
   * two messages of one contact see each other's reservation exactly as two calls would. Every
   * message is checked, its policy compiled and its zone found before anything is read.
   */
  List<Decision> decideAll(List<Message> messages, Instant at) {
    for (Message m : messages) {
      checkMessage(m);
    }
    checkInstant(at, "now");
    long now = at.getEpochSecond();
    // the batch's contacts' preferences read at once (one consent read, not one a message)
    PreferenceSource chosen = preferences == null ? null : preferences.forBatch(messages);
    int n = messages.size();
    Decision[] out = new Decision[n];
    Evaluation[] evs = new Evaluation[n];
    int[][] subjectsOf = new int[n][];
    Map<SubjectKey, Integer> index = new LinkedHashMap<>(Sized.capacity(2 * n));
    for (int i = 0; i < n; i++) {
      Message m = messages.get(i);
      CompiledPolicy p = compiled(m.tenant());
      if (p.isExempt(m)) {
        out[i] = p.exempt(m);
        continue;
      }
      Evaluation ev = prepare(p, m, p.zoneOf(m), now, true, chosen);
      List<SubjectKey> subjects = subjects(p, m);
      if (subjects.isEmpty()) {
        out[i] = ev.evaluate(SendLog.empty(), SendLog.empty());
        continue;
      }
      evs[i] = ev;
      int[] at2 = new int[subjects.size()];
      for (int k = 0; k < at2.length; k++) {
        Integer slot = index.get(subjects.get(k));
        if (slot == null) {
          slot = index.size();
          index.put(subjects.get(k), slot);
        }
        at2[k] = slot;
      }
      subjectsOf[i] = at2;
    }
    if (!index.isEmpty()) {
      List<SubjectKey> union = List.copyOf(index.keySet());
      Function<List<SendLog>, LedgerChange<Decision[]>> inOrder =
          logs -> {
            SendLog[] current = logs.toArray(new SendLog[0]);
            boolean changed = false;
            Decision[] decided = new Decision[n];
            for (int i = 0; i < n; i++) {
              if (evs[i] == null) {
                continue;
              }
              int[] mine = subjectsOf[i];
              List<SendLog> theirs = new ArrayList<>(mine.length);
              for (int slot : mine) {
                theirs.add(current[slot]);
              }
              LedgerChange<Decision> c = evs[i].apply(theirs);
              decided[i] = c.result();
              if (c.newLogs() != null) {
                for (int k = 0; k < mine.length; k++) {
                  current[mine[k]] = c.newLogs().get(k);
                }
                changed = true;
              }
            }
            return changed
                ? LedgerChange.write(decided, Arrays.asList(current))
                : LedgerChange.unchanged(decided);
          };
      Decision[] decided = null;
      if (readFirst) {
        Decision[] onRead = inOrder.apply(store.read(union)).result();
        boolean anyAllowed = false;
        for (int i = 0; i < n; i++) {
          anyAllowed |= evs[i] != null && onRead[i].isAllowed();
        }
        decided = anyAllowed ? null : onRead;
      }
      if (decided == null) {
        decided = store.update(union, inOrder);
      }
      for (int i = 0; i < n; i++) {
        if (evs[i] != null) {
          out[i] = decided[i];
        }
      }
    }
    List<Decision> result = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Message m = messages.get(i);
      Decision d = out[i];
      boolean reserved =
          evs[i] != null && d.isAllowed() && (evs[i].p.recordContact || evs[i].p.recordAccount);
      if (!d.isAllowed() && LOG.isDebugEnabled()) {
        LOG.debug("message {} to {}: {}", m.id(), m.contact(), d);
      }
      listener.onDecision(m, d, reserved);
      result.add(d);
    }
    return result;
  }

  /**
   * Decides on an unlocked read of the committed logs, and takes the store's locked update only
   * when that answer is ALLOW, evaluating again under the lock (where it may still refuse). A
   * refusal so writes nothing: no transaction, no row lock, no row inserted for a new contact.
   *
   * <p>Why a refusal on a committed snapshot is safe. A refusal writes nothing, so it may take
   * effect at the moment of its snapshot, which is after the call began (a caller's own earlier
   * release or send is in it): it is then exactly the answer the locked path gives, with the same
   * {@code now} and the same policy (both evaluations use the policy resolved once for this
   * decision, so a policy change cannot come between them). Everything committed after the snapshot
   * is ordered after this decision. Of that, additions to a log (decide, recordSent,
   * recordActivity) could only have made the answer a refusal too. Removals (release, pruning by a
   * writer whose clock runs ahead or whose policy reads less far back, erasure, retention) are the
   * case where a refusal on an older snapshot does not stay a refusal: the locked path run after
   * them might allow. That is still a correct serial order (this decision first, the removal
   * after), no cap depends on a refusal, and a DEFER is decided again at its instant; the cost is
   * at most a wait longer than needed, as if the decision had run a moment earlier. Only an ALLOW
   * must see the latest logs, and it always does: under the lock.
   */
  private Decision decideReadFirst(List<SubjectKey> subjects, Evaluation ev) {
    List<SendLog> logs = store.read(subjects);
    CompiledPolicy p = ev.p;
    Decision first =
        ev.evaluate(
            p.readContact ? logs.get(0) : SendLog.empty(),
            p.readAccount ? logs.get(logs.size() - 1) : SendLog.empty());
    return first.isAllowed() ? store.update(subjects, ev) : first;
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
    CompiledPolicy p = compiled(message.tenant());
    if (p.isExempt(message)) {
      return p.exempt(message);
    }
    ZoneId zone = p.zoneOf(message); // a missing zone is refused before the store is read
    List<SubjectKey> subjects = subjects(p, message);
    List<SendLog> logs = subjects.isEmpty() ? List.of() : store.read(subjects);
    SendLog contact = p.readContact ? logs.get(0).in(vocabulary) : SendLog.empty();
    SendLog account = p.readAccount ? logs.get(logs.size() - 1).in(vocabulary) : SendLog.empty();
    // ids are looked up only now: binding a log to this limiter's vocabulary gives every label it
    // holds an id, so a category still without one is in no log and rightly counts nothing (and
    // whatIf adds no ids of its own)
    Evaluation ev = prepare(p, message, zone, at.getEpochSecond(), false);
    return ev.evaluate(contact, account);
  }

  /**
   * See {@link FrequencyCapLimiter#release}: removes only the exact entry {@code decide} wrote.
   * Whatever the tenant's policy is now, it looks in the logs of both the contact and the account
   * (the policy that made the reservation may have written either), first without locking, and
   * locks only the logs that hold the entry: a release that finds nothing writes nothing. An entry
   * {@code decide} wrote was committed before it returned, so the unlocked read sees it.
   */
  @Override
  public void release(Message message, Instant decidedAt) {
    checkMessage(message);
    checkInstant(decidedAt, "decidedAt");
    long second = decidedAt.getEpochSecond();
    long meta = sendMeta(message);
    List<SubjectKey> both =
        List.of(
            SubjectKey.contact(message.tenant(), message.contact()),
            SubjectKey.account(message.tenant(), message.account()));
    List<SendLog> seen = store.read(both);
    List<SubjectKey> subjects = new ArrayList<>(2);
    for (int i = 0; i < 2; i++) {
      if (seen.get(i).in(vocabulary).containsPacked(second, meta)) {
        subjects.add(both.get(i));
      }
    }
    boolean released =
        !subjects.isEmpty()
            && store.update(
                subjects,
                logs -> {
                  List<SendLog> out = new ArrayList<>(logs.size());
                  boolean changed = false;
                  for (SendLog read : logs) {
                    SendLog log = read.in(vocabulary);
                    SendLog next = log.withoutPacked(second, meta);
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
    CompiledPolicy p = compiled(message.tenant());
    if (p.isExempt(message) || !(p.recordContact || p.recordAccount)) {
      return;
    }
    long second = sentAt.getEpochSecond();
    long cutoff = Evaluation.cutoff(p, clock.instant().getEpochSecond(), retainSeconds);
    if (second < cutoff) {
      return;
    }
    long meta = sendMeta(message);
    List<SubjectKey> subjects = new ArrayList<>(2);
    if (p.recordContact) {
      subjects.add(SubjectKey.contact(message.tenant(), message.contact()));
    }
    if (p.recordAccount) {
      subjects.add(SubjectKey.account(message.tenant(), message.account()));
    }
    store.update(
        subjects,
        logs -> {
          List<SendLog> out = new ArrayList<>(logs.size());
          boolean changed = false;
          for (SendLog read : logs) {
            SendLog log = read.in(vocabulary);
            // the same message confirmed twice (a repeated event, two instances) counts once
            SendLog next =
                log.containsPacked(second, meta)
                    ? log
                    : log.prunedWithPacked(cutoff, second, meta, vocabulary);
            changed |= next != log;
            out.add(next);
          }
          return changed ? LedgerChange.write(null, out) : LedgerChange.unchanged(null);
        });
  }

  @Override
  public void recordActivity(SubjectKey subject, String activity, Instant at) {
    if (subject == null) {
      throw new InvalidLimiterArgumentException("subject must not be null");
    }
    checkName(activity, "activity");
    checkInstant(at, "at");
    CompiledPolicy p = compiled(subject.tenant());
    long meta =
        SendLog.meta(LedgerEntry.Type.ACTIVITY, null, null, vocabulary.labels.id(activity), -1);
    long cutoff = Evaluation.cutoff(p, clock.instant().getEpochSecond(), retainSeconds);
    long second = at.getEpochSecond();
    store.update(
        List.of(subject),
        logs ->
            LedgerChange.write(
                null,
                List.of(
                    logs.get(0)
                        .in(vocabulary)
                        .prunedWithPacked(cutoff, second, meta, vocabulary))));
    listener.onActivity(subject, activity, at);
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
  private static final long MIN_SECOND = StoreLimits.MIN_INSTANT.getEpochSecond();

  private static final long MAX_SECOND = StoreLimits.MAX_INSTANT.getEpochSecond();

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
  private static List<SubjectKey> subjects(CompiledPolicy p, Message message) {
    if (p.readContact && p.readAccount) {
      return List.of(
          SubjectKey.contact(message.tenant(), message.contact()),
          SubjectKey.account(message.tenant(), message.account()));
    }
    if (p.readContact) {
      return List.of(SubjectKey.contact(message.tenant(), message.contact()));
    }
    if (p.readAccount) {
      return List.of(SubjectKey.account(message.tenant(), message.account()));
    }
    return List.of();
  }

  private long sendMeta(Message m) {
    int category = vocabulary.labels.id(m.category());
    int team = vocabulary.teams.id(m.source().team());
    return SendLog.meta(LedgerEntry.Type.SEND, m.kind(), m.channel(), category, team);
  }

  private Evaluation prepare(CompiledPolicy p, Message m, long now, boolean intern) {
    return prepare(p, m, p.zoneOf(m), now, intern, preferences);
  }

  private Evaluation prepare(CompiledPolicy p, Message m, ZoneId zone, long now, boolean intern) {
    return prepare(p, m, zone, now, intern, preferences);
  }

  /** Prepares an evaluation; {@code intern} false looks ids up without assigning any (-1: none). */
  private Evaluation prepare(
      CompiledPolicy p,
      Message m,
      ZoneId zone,
      long now,
      boolean intern,
      PreferenceSource preferences) {
    String c = m.category();
    String t = m.source().team();
    int category = intern ? vocabulary.labels.id(c) : vocabulary.labels.existingId(c);
    int team = intern ? vocabulary.teams.id(t) : vocabulary.teams.existingId(t);
    CompiledPolicy.RuleSet set = p.ruleSet(m, category, team);
    CompiledCap[] applicable = set.caps();
    String preferenceId = null;
    if (preferences != null) {
      Frequency f = preferences.frequency(m.tenant(), m.contact(), m.category());
      CalendarPeriod period = f == null ? null : period(f);
      if (period != null) {
        if (zone == null) {
          zone = p.requireZone(m); // the contact's chosen frequency is a calendar cap
        }
        applicable = Arrays.copyOf(set.caps(), set.caps().length + 1);
        applicable[set.caps().length] = p.preferenceCaps.get(period);
        // a closed set of rule ids (metrics tag by them); the message names its category
        preferenceId = "preference-" + f.name().toLowerCase(Locale.ROOT);
      }
    }
    return new Evaluation(
        p,
        vocabulary,
        horizonSeconds,
        retainSeconds,
        m,
        now,
        zone,
        category,
        team,
        applicable,
        preferenceId,
        set.coolDowns());
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
}
