package dev.steward.frequency;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Priority;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One tenant's {@link CapPolicy} under the limiter's floor policy (if any), compiled for decisions:
 * caps with their filters as ids, cool-downs, the local-time rules, which logs the rules read and
 * write, and the caches of rule sets and zone views that belong to these rules. Built once per
 * distinct policy and kept by the limiter, so a policy change costs one compilation.
 *
 * <p>Both policies' rules apply (see {@link FrequencyCapLimiter.Builder#floor}); the floor's rules
 * keep their ids with the prefix {@value #FLOOR}, so an explanation says which policy held a
 * message.
 */
final class CompiledPolicy {
  /** The prefix of the rule ids of the platform-wide floor policy. */
  static final String FLOOR = "floor:";

  private static final int RULE_SET_SLOTS = 1024; // a power of two
  private static final int ZONE_SLOT_BITS = 6;
  private static final int MAX_ZONES = 10_000;

  final CapPolicy policy;
  final CapPolicy floor;

  private static final Priority[] PRIORITIES = Priority.values();

  private final boolean[] exempt;
  final CompiledCap[] caps;
  final CoolDown[] coolDowns;
  final String[] coolDownIds;
  final int[] coolDownActivityIds;
  final CompiledFilter[] coolDownFilters;
  final String[] coolDownDetails;
  final Reason[] coolDownAllows;
  final Map<CalendarPeriod, CompiledCap> preferenceCaps = new EnumMap<>(CalendarPeriod.class);
  final QuietHours[] quiets;
  final String[] quietIds;
  final int[] quietStarts;
  final int[] quietEnds;
  final SendWindow[] windows;
  final String[] windowIds;
  final ZoneId fixedZone;
  final ZoneId defaultZone;

  /** True when a rule reads local time, so that a message's zone must be known. */
  final boolean readsLocalTime;

  final boolean readContact;
  final boolean readAccount;
  final boolean recordContact;
  final boolean recordAccount;
  final long lookbackSeconds;

  /**
   * The rule sets last used, by a hash of their key: a miss only recomputes (a few filter matches),
   * so a fixed array bounds the cache and a lookup boxes nothing.
   */
  private final RuleSet[] ruleSets = new RuleSet[RULE_SET_SLOTS];

  private final ConcurrentHashMap<ZoneId, ZoneView> zones = new ConcurrentHashMap<>();
  private final ZoneView[] zoneSlots = new ZoneView[1 << ZONE_SLOT_BITS];

  CompiledPolicy(CapPolicy policy, CapPolicy floor, boolean preferences, Vocabulary vocabulary) {
    this.policy = policy;
    this.floor = floor;
    this.exempt = exemptions(policy, floor);
    List<Cap> allCaps = new ArrayList<>(policy.caps());
    List<String> capIds = new ArrayList<>();
    policy.caps().forEach(c -> capIds.add(c.id()));
    List<CoolDown> allCools = new ArrayList<>(policy.coolDowns());
    List<String> coolIds = new ArrayList<>();
    policy.coolDowns().forEach(c -> coolIds.add(c.id()));
    List<QuietHours> qs = new ArrayList<>();
    List<String> qIds = new ArrayList<>();
    List<SendWindow> ws = new ArrayList<>();
    List<String> wIds = new ArrayList<>();
    policy.quietHours().ifPresent(q -> add(qs, qIds, q, "quiet-hours"));
    policy.sendWindow().ifPresent(w -> add(ws, wIds, w, "send-window"));
    if (floor != null) {
      for (Cap c : floor.caps()) {
        // named apart from the tenant's own (a cap's id may already use every character allowed)
        allCaps.add(c);
        capIds.add(FLOOR + c.id());
      }
      for (CoolDown c : floor.coolDowns()) {
        allCools.add(c);
        coolIds.add(FLOOR + c.id());
      }
      floor.quietHours().ifPresent(q -> add(qs, qIds, q, FLOOR + "quiet-hours"));
      floor.sendWindow().ifPresent(w -> add(ws, wIds, w, FLOOR + "send-window"));
    }
    this.caps = new CompiledCap[allCaps.size()];
    for (int i = 0; i < caps.length; i++) {
      caps[i] = CompiledCap.of(allCaps.get(i), capIds.get(i), vocabulary);
    }
    this.coolDowns = allCools.toArray(CoolDown[]::new);
    this.coolDownIds = coolIds.toArray(String[]::new);
    this.coolDownActivityIds = new int[coolDowns.length];
    this.coolDownFilters = new CompiledFilter[coolDowns.length];
    this.coolDownDetails = new String[coolDowns.length];
    this.coolDownAllows = new Reason[coolDowns.length];
    long lookback = 0;
    boolean contactCaps = false;
    boolean accountCaps = false;
    boolean contactCool = false;
    boolean accountCool = false;
    boolean calendar = false;
    for (CompiledCap c : caps) {
      contactCaps |= c.scope == CapScope.CONTACT;
      accountCaps |= c.scope == CapScope.ACCOUNT;
      calendar |= c.rollingSeconds == 0;
    }
    for (Cap c : allCaps) {
      lookback = Math.max(lookback, c.window().lookbackSeconds());
    }
    for (int i = 0; i < coolDowns.length; i++) {
      CoolDown c = coolDowns[i];
      coolDownActivityIds[i] = vocabulary.labels.id(c.activity());
      coolDownFilters[i] = new CompiledFilter(c.filter(), vocabulary);
      coolDownDetails[i] =
          "no message within "
              + Window.rolling(c.length()).label()
              + " after "
              + c.scope().word()
              + " activity '"
              + c.activity()
              + "'";
      coolDownAllows[i] =
          Reason.of(
              DefaultFrequencyCapLimiter.GATE,
              coolDownIds[i],
              Outcome.ALLOW,
              coolDownDetails[i],
              null,
              null);
      contactCool |= c.scope() == CapScope.CONTACT;
      accountCool |= c.scope() == CapScope.ACCOUNT;
      lookback = Math.max(lookback, c.length().getSeconds());
    }
    if (preferences) {
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
                    + " for this category",
                vocabulary));
      }
      lookback = Math.max(lookback, CalendarPeriod.QUARTER.maxDays() * 86_400L);
    }
    this.quiets = qs.toArray(QuietHours[]::new);
    this.quietIds = qIds.toArray(String[]::new);
    this.quietStarts = new int[quiets.length];
    this.quietEnds = new int[quiets.length];
    for (int i = 0; i < quiets.length; i++) {
      quietStarts[i] = quiets[i].start().toSecondOfDay();
      quietEnds[i] = quiets[i].end().toSecondOfDay();
    }
    this.windows = ws.toArray(SendWindow[]::new);
    this.windowIds = wIds.toArray(String[]::new);
    // the tenant's zones first; the floor's only where the tenant's policy names none at all: a
    // floor's fixed zone must not override the tenant's default zone or its recipients' zones
    boolean tenantNamesAZone = policy.zone().isPresent() || policy.defaultZone().isPresent();
    this.fixedZone =
        policy.zone().orElse(floor == null || tenantNamesAZone ? null : floor.zone().orElse(null));
    this.defaultZone =
        policy.defaultZone().orElse(floor == null ? null : floor.defaultZone().orElse(null));
    // a contact's chosen frequency reads local time only for the contacts who chose one: that is
    // asked per message (see requireZone), so that no zone is demanded of everyone else
    this.readsLocalTime = calendar || quiets.length > 0 || windows.length > 0;
    this.recordContact = contactCaps || preferences;
    this.recordAccount = accountCaps;
    this.readContact = recordContact || contactCool;
    this.readAccount = recordAccount || accountCool;
    this.lookbackSeconds = lookback;
  }

  private static <T> void add(List<T> rules, List<String> ids, T rule, String id) {
    rules.add(rule);
    ids.add(id);
  }

  /**
   * True when no rule applies to {@code message}: it must be exempt under the tenant's policy and
   * under the floor alike.
   */
  boolean isExempt(Message message) {
    return exempt[message.kind().ordinal() * PRIORITIES.length + message.priority().ordinal()];
  }

  /**
   * Per kind and priority, whether no rule applies: exempt under the tenant's policy and under the
   * floor alike. A table, because every decision asks, and the sets it stands for do not change.
   */
  private static boolean[] exemptions(CapPolicy policy, CapPolicy floor) {
    MessageKind[] kinds = MessageKind.values();
    boolean[] table = new boolean[kinds.length * PRIORITIES.length];
    for (MessageKind k : kinds) {
      for (Priority p : PRIORITIES) {
        table[k.ordinal() * PRIORITIES.length + p.ordinal()] =
            policy.isExempt(k, p) && (floor == null || floor.isExempt(k, p));
      }
    }
    return table;
  }

  Decision exempt(Message message) {
    String why =
        policy.exemptKinds().contains(message.kind())
            ? message.kind() + " messages are exempt"
            : "priority " + message.priority() + " is exempt";
    return Decision.allow(Reason.of(DefaultFrequencyCapLimiter.GATE, "exempt", Outcome.ALLOW, why));
  }

  /**
   * The zone to read {@code message}'s local time in: the policy's fixed zone, else the message's,
   * else the policy's default; null when no rule reads local time (then none is needed).
   *
   * @throws MissingZoneException when a rule reads local time and no zone is known
   */
  ZoneId zoneOf(Message message) {
    if (fixedZone != null) {
      return fixedZone;
    }
    if (!readsLocalTime) {
      return null;
    }
    ZoneId zone = message.recipientZone().orElse(defaultZone);
    if (zone == null) {
      throw new MissingZoneException(message.id(), message.tenant());
    }
    return zone;
  }

  /**
   * The zone to read {@code message}'s local time in when a rule found only now reads it (the
   * contact's chosen frequency, a calendar cap).
   *
   * @throws MissingZoneException when no zone is known
   */
  ZoneId requireZone(Message message) {
    ZoneId zone = fixedZone != null ? fixedZone : message.recipientZone().orElse(defaultZone);
    if (zone == null) {
      throw new MissingZoneException(message.id(), message.tenant());
    }
    return zone;
  }

  /**
   * The caps and cool-downs that apply to messages like {@code m}, cached by their attributes.
   * Every filter was compiled to ids, so the ids decide alone, and a category or team without an id
   * (-1: named by no filter) shares one entry with all others like it, correctly.
   */
  RuleSet ruleSet(Message m, int category, int team) {
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
  ZoneView zoneView(ZoneId zone) {
    int slot = (zone.hashCode() * 0x9E3779B9) >>> (32 - ZONE_SLOT_BITS);
    ZoneView v = zoneSlots[slot];
    if (v != null && (v.zone == zone || v.zone.equals(zone))) {
      return v;
    }
    v = zones.get(zone);
    if (v == null) {
      v = new ZoneView(zone, quiets, quietIds, windows, windowIds);
      if (zones.size() < MAX_ZONES) {
        ZoneView raced = zones.putIfAbsent(zone, v);
        v = raced == null ? v : raced;
      }
    }
    zoneSlots[slot] = v; // a benign race: ZoneView is safe to share and its zone checked first
    return v;
  }

  /** The caps and cool-down indexes that apply to one shape of message. */
  record RuleSet(long key, CompiledCap[] caps, int[] coolDowns) {}
}
