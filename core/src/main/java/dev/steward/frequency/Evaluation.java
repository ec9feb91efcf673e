package dev.steward.frequency;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.internal.ComputedList;
import dev.steward.internal.RuleOutline;
import dev.steward.model.Message;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One message at one instant under one compiled policy: applies the rules to the logs and explains
 * the answer; as the store's update function, also reserves the slot of an allowed message.
 *
 * <p>A deferral's reasons name the rule that set its final instant: that rule's reason carries
 * DEFER and the instant, even when the rule allows at the decision's own instant (quiet hours at
 * 16:00 allow, but a cap that frees a slot at 22:00 leaves the message to quiet hours, which then
 * set 08:00 the next day).
 */
final class Evaluation implements Function<List<SendLog>, LedgerChange<Decision>> {
  private static final String GATE = DefaultFrequencyCapLimiter.GATE;
  private static final long NEVER = Long.MAX_VALUE;
  private static final int MAX_ITERATIONS = 100_000;
  private static final int ACTIVITY = LedgerEntry.Type.ACTIVITY.ordinal();

  final CompiledPolicy p;
  final Vocabulary vocabulary;
  final long horizonSeconds;
  final long retainSeconds;

  /** The packed ledger entry of this message's send: all a write needs of the message. */
  final long sendMeta;

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

  /** The index in the reasons of the rule that last moved the fix-point's instant, or -1. */
  private int setter = -1;

  Evaluation(
      CompiledPolicy p,
      Vocabulary vocabulary,
      long horizonSeconds,
      long retainSeconds,
      Message message,
      long now,
      ZoneId zone,
      int category,
      int team,
      CompiledCap[] caps,
      String preferenceId,
      int[] cools) {
    this.p = p;
    this.vocabulary = vocabulary;
    this.horizonSeconds = horizonSeconds;
    this.retainSeconds = retainSeconds;
    this.now = now;
    this.zone = zone;
    this.category = category;
    this.team = team;
    this.caps = caps;
    this.preferenceId = preferenceId;
    this.cools = cools;
    this.sendMeta =
        SendLog.meta(LedgerEntry.Type.SEND, message.kind(), message.channel(), category, team);
  }

  /**
   * Decides on the subjects' logs (contact first, then account) and records an allowed send; the
   * logs are bound to the limiter's vocabulary first, so their ids are those its rules compare.
   */
  @Override
  public LedgerChange<Decision> apply(List<SendLog> logs) {
    SendLog contact = p.readContact ? logs.get(0).in(vocabulary) : SendLog.empty();
    SendLog account = p.readAccount ? logs.get(logs.size() - 1).in(vocabulary) : SendLog.empty();
    Decision d = evaluate(contact, account);
    if (!d.isAllowed() || !(p.recordContact || p.recordAccount)) {
      return LedgerChange.unchanged(d);
    }
    long meta = sendMeta();
    long cutoff = cutoff(p, now, retainSeconds);
    SendLog c = p.recordContact ? contact.prunedWithPacked(cutoff, now, meta, vocabulary) : contact;
    SendLog a = p.recordAccount ? account.prunedWithPacked(cutoff, now, meta, vocabulary) : account;
    return LedgerChange.write(
        d, p.readContact && p.readAccount ? List.of(c, a) : List.of(p.readContact ? c : a));
  }

  /**
   * The second before which a write may prune a log: entries older than every window of the policy
   * and older than the limiter's retention (see {@link FrequencyCapLimiter.Builder#retainAtLeast}),
   * so that a later policy with longer windows still finds them.
   */
  static long cutoff(CompiledPolicy p, long now, long retainSeconds) {
    return now - Math.max(p.lookbackSeconds, retainSeconds);
  }

  long sendMeta() {
    return sendMeta;
  }

  SendLog log(CapScope scope) {
    return scope == CapScope.CONTACT ? contactLog : accountLog;
  }

  /** Looked up only when a rule reads local time: a policy without one never needs the zone. */
  ZoneView view() {
    ZoneView v = view;
    if (v == null) {
      v = p.zoneView(zone);
      view = v;
    }
    return v;
  }

  /**
   * Finds each rule's earliest instant at {@code now} first, then looks for the first instant all
   * rules allow from the latest of them: no instant before it can be allowed by all, so the
   * fix-point finds the same answer as from {@code now}, without counting each rule twice.
   *
   * <p>The reasons are built only when the decision's reasons are first read (most callers read
   * only the outcome), from what this evaluation found: each rule's earliest instant and each cap's
   * count, kept in a small array, with the instant decided and the rule that set it. The logs are
   * let go when the decision is made, so a decision held long keeps no send log alive; the reasons
   * are the same whenever they are read, and this evaluation may run again (under the store's lock)
   * without changing them.
   */
  Decision evaluate(SendLog contact, SendLog account) {
    this.contactLog = contact.in(vocabulary);
    this.accountLog = account.in(vocabulary);
    this.setter = -1; // evaluated again under the lock after a read (see decideReadFirst)
    int rules = caps.length + cools.length + p.quiets.length + p.windows.length;
    // found[i]: rule i's earliest instant at or after now; found[rules + k]: cap k's count at now
    long[] found = new long[rules + caps.length];
    boolean zeroCap = false;
    long latest = now;
    int n = 0;
    for (int k = 0; k < caps.length; k++) {
      CompiledCap c = caps[k];
      zeroCap |= c.max == 0;
      int used = used(c);
      found[rules + k] = used;
      // the cap allows now exactly when its window holds fewer than max: no search needed then
      long from = c.max == 0 ? NEVER : used < c.max ? now : earliestCap(c, now);
      found[n++] = from;
      latest = Math.max(latest, from);
    }
    for (int i : cools) {
      long from = earliestCoolDown(i, now);
      found[n++] = from;
      latest = Math.max(latest, from);
    }
    for (int i = 0; i < p.quiets.length; i++) {
      long from = earliestOutsideQuiet(i, now);
      found[n++] = from;
      latest = Math.max(latest, from);
    }
    for (int i = 0; i < p.windows.length; i++) {
      long from = earliestInWindow(i, now);
      found[n++] = from;
      latest = Math.max(latest, from);
    }
    // every rule allows now: that is the fix-point, no need to ask each rule again
    long at = zeroCap ? NEVER : latest == now ? now : fixPoint(latest, countsOnlyFall());
    // when every rule allows now, each reason is its rule's ALLOW: countable without building
    List<Reason> reasons =
        new ComputedList<>(
            new Found(this, found, latest, at, setter, zeroCap),
            !zeroCap && at == now ? new AllAllow(this) : null);
    this.contactLog = null; // the decision's reasons keep this evaluation, never its logs
    this.accountLog = null;
    if (zeroCap || at == NEVER) {
      return Decision.suppress(reasons);
    }
    if (at == now) {
      return Decision.allow(reasons);
    }
    return Decision.defer(Instant.ofEpochSecond(at), reasons);
  }

  /** How many sends cap {@code c} counts at {@code now} in its window. */
  private int used(CompiledCap c) {
    SendLog log = log(c.scope);
    if (c.rollingSeconds > 0) {
      return countRolling(c, log, now);
    }
    ZoneView.Bounds b = view().bounds(c.period, now);
    return countBetween(c, log, b.start(), b.end());
  }

  /**
   * What a decision's reasons are built from on first read: what its evaluation found. Holds the
   * found instants and counts and the evaluation's fixed parts (policy, rules, zone, instant),
   * never its logs, its message or its mutable state, which a second evaluation overwrites.
   */
  private static final class Found implements Supplier<List<Reason>> {
    private final Evaluation evaluation;
    private final long[] found;
    private final long latest;
    private final long at;
    private final int setter;
    private final boolean zeroCap;

    Found(Evaluation evaluation, long[] found, long latest, long at, int setter, boolean zeroCap) {
      this.evaluation = evaluation;
      this.found = found;
      this.latest = latest;
      this.at = at;
      this.setter = setter;
      this.zeroCap = zeroCap;
    }

    @Override
    public List<Reason> get() {
      return evaluation.explain(found, latest, at, setter, zeroCap);
    }
  }

  /**
   * The reasons of a decision every rule allowed at now ({@link #explain} then gives each rule's
   * ALLOW, in the same order: caps, cool-downs, quiet hours, send windows), told without building
   * them. Reads only the evaluation's fixed parts.
   */
  private static final class AllAllow implements RuleOutline<Outcome> {
    private final Evaluation evaluation;

    AllAllow(Evaluation evaluation) {
      this.evaluation = evaluation;
    }

    @Override
    public int size() {
      Evaluation e = evaluation;
      return e.caps.length + e.cools.length + e.p.quiets.length + e.p.windows.length;
    }

    @Override
    public String gate(int i) {
      return GATE;
    }

    @Override
    public String rule(int i) {
      Evaluation e = evaluation;
      int k = i;
      if (k < e.caps.length) {
        return e.capId(e.caps[k]);
      }
      k -= e.caps.length;
      if (k < e.cools.length) {
        return e.p.coolDownIds[e.cools[k]];
      }
      k -= e.cools.length;
      if (k < e.p.quiets.length) {
        return e.p.quietIds[k];
      }
      k -= e.p.quiets.length;
      if (k < e.p.windows.length) {
        return e.p.windowIds[k];
      }
      throw new IndexOutOfBoundsException(i);
    }

    @Override
    public Outcome effect(int i) {
      Objects.checkIndex(i, size());
      return Outcome.ALLOW;
    }
  }

  /**
   * Every rule's reason at {@code now}, from what {@link #evaluate} found; on a deferral, the rule
   * that set its instant {@code at} says so; on a suppression for want of a slot, the horizon says
   * so. Reads only this evaluation's fixed parts: safe from any thread, at any time.
   */
  private List<Reason> explain(long[] found, long latest, long at, int setter, boolean zeroCap) {
    int rules = found.length - caps.length;
    Reason[] reasons = new Reason[rules];
    int n = 0;
    for (int k = 0; k < caps.length; k++) {
      reasons[n] = capReason(caps[k], (int) found[rules + k], found[n]);
      n++;
    }
    for (int i : cools) {
      reasons[n] =
          ruleReason(p.coolDownIds[i], p.coolDownDetails[i], p.coolDownAllows[i], found[n]);
      n++;
    }
    for (int i = 0; i < p.quiets.length; i++) {
      reasons[n] =
          ruleReason(p.quietIds[i], view().quietDetails[i], view().quietAllows[i], found[n]);
      n++;
    }
    for (int i = 0; i < p.windows.length; i++) {
      reasons[n] =
          ruleReason(p.windowIds[i], view().windowDetails[i], view().windowAllows[i], found[n]);
      n++;
    }
    if (zeroCap || at == now) {
      return Arrays.asList(reasons);
    }
    if (at == NEVER) {
      Reason[] all = Arrays.copyOf(reasons, reasons.length + 1);
      all[reasons.length] =
          Reason.of(
              GATE,
              "horizon",
              Outcome.SUPPRESS,
              "no slot within " + Duration.ofSeconds(horizonSeconds).toDays() + " days");
      return Arrays.asList(all);
    }
    nameTheSetter(reasons, setter, latest, at);
    return Arrays.asList(reasons);
  }

  /**
   * Marks the reason of the rule that set the deferral's instant {@code at}: the rule that last
   * moved the fix-point ({@code setter}), or, when none moved it, the first rule whose own earliest
   * instant is {@code latest} (where the fix-point started). Its reason becomes DEFER until {@code
   * at}, keeping its text and counts, unless it says so already.
   */
  private void nameTheSetter(Reason[] reasons, int setter, long latest, long at) {
    int i = setter;
    if (i < 0) {
      for (int j = 0; j < reasons.length; j++) {
        if (from(reasons[j]) == latest) {
          i = j;
          break;
        }
      }
    }
    if (i < 0) {
      return;
    }
    Reason r = reasons[i];
    Instant until = Instant.ofEpochSecond(at);
    if (r.effect() != Outcome.DEFER || !r.allowedFrom().equals(java.util.Optional.of(until))) {
      reasons[i] =
          new Reason(
              r.gate(),
              r.rule(),
              Outcome.DEFER,
              r.detail(),
              r.usage(),
              java.util.Optional.of(until));
    }
  }

  /** The first instant a rule's reason allows: now, its allowedFrom, or never. */
  private long from(Reason r) {
    return r.allowedFrom().isPresent()
        ? r.allowedFrom().get().getEpochSecond()
        : r.effect() == Outcome.SUPPRESS ? NEVER : now;
  }

  /**
   * True when no entry of either log lies after now (no other instance's clock ran ahead). Then
   * every counting rule (caps, calendar caps, cool-downs) only ever goes from refusing to allowing
   * as time moves on: its window loses entries and gains none. Each allows from its own earliest
   * instant, which is at or before the fix-point's start, so only local-time rules need asking.
   */
  private boolean countsOnlyFall() {
    return newest(contactLog) <= now && newest(accountLog) <= now;
  }

  private long newest(SendLog log) {
    return log.isEmpty() ? Long.MIN_VALUE : log.second(log.size() - 1);
  }

  /**
   * The first instant from {@code start} at which every rule allows, or NEVER; remembers in {@link
   * #setter} the rule (by its index among the reasons) that last moved the instant.
   */
  private long fixPoint(long start, boolean countsOnlyFall) {
    long limit = now + horizonSeconds;
    if (start > limit) {
      return NEVER;
    }
    int coolBase = caps.length;
    int quietBase = coolBase + cools.length;
    int windowBase = quietBase + p.quiets.length;
    long t = start;
    for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      long next = t;
      if (!countsOnlyFall) {
        for (int i = 0; i < caps.length; i++) {
          next = moved(next, earliestCap(caps[i], next), i);
        }
        for (int i = 0; i < cools.length; i++) {
          next = moved(next, earliestCoolDown(cools[i], next), coolBase + i);
        }
      }
      for (int i = 0; i < p.quiets.length && next <= limit; i++) {
        next = moved(next, earliestOutsideQuiet(i, next), quietBase + i);
      }
      for (int i = 0; i < p.windows.length && next <= limit; i++) {
        next = moved(next, earliestInWindow(i, next), windowBase + i);
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

  private long moved(long before, long after, int rule) {
    if (after != before) {
      setter = rule;
    }
    return after;
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
    CoolDown c = p.coolDowns[index];
    SendLog log = log(c.scope());
    int activity = p.coolDownActivityIds[index];
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

  long earliestOutsideQuiet(int rule, long t) {
    int quietStart = p.quietStarts[rule];
    int quietEnd = p.quietEnds[rule];
    ZoneView v = view();
    long local = v.local(t);
    int sod = ZoneMath.secondOfDay(local);
    boolean crossesMidnight = quietStart > quietEnd;
    boolean isQuiet =
        crossesMidnight ? sod >= quietStart || sod < quietEnd : sod >= quietStart && sod < quietEnd;
    if (!isQuiet) {
      return t;
    }
    long endDay = local - sod + (crossesMidnight && sod >= quietStart ? 86_400L : 0L);
    return Math.max(t, v.instantOf(endDay + quietEnd, t));
  }

  long earliestInWindow(int rule, long t) {
    SendWindow sendWindow = p.windows[rule];
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
            ? Reason.of(GATE, id, Outcome.SUPPRESS, detail, null, null)
            : Reason.of(GATE, id, Outcome.DEFER, detail, null, Instant.ofEpochSecond(from));
  }

  /** The rule id of cap {@code c} in this evaluation's reasons. */
  private String capId(CompiledCap c) {
    return c.id.equals("preference") ? preferenceId : c.id;
  }

  /** Cap {@code c}'s reason, from the count it found at now and its earliest instant. */
  private Reason capReason(CompiledCap c, int used, long from) {
    Instant start;
    Instant end;
    String id = capId(c);
    if (c.rollingSeconds > 0) {
      CompiledCap.Second second = c.second(now);
      if (used < c.max && second.allows != null && id == c.id) {
        return second.allow(used, id); // everything in it is as below, so shared
      }
      start = second.start;
      end = second.end;
    } else {
      ZoneView.Bounds b = view().bounds(c.period, now);
      start = Instant.ofEpochSecond(b.start());
      end = Instant.ofEpochSecond(b.end());
    }
    Reason.Usage usage = new Reason.Usage(used, c.max, start, end);
    if (c.max == 0) {
      return Reason.of(GATE, id, Outcome.SUPPRESS, c.detail, usage, null);
    }
    Outcome effect = from == now ? Outcome.ALLOW : Outcome.DEFER;
    return Reason.of(
        GATE, id, effect, c.detail, usage, from == now ? null : Instant.ofEpochSecond(from));
  }
}
