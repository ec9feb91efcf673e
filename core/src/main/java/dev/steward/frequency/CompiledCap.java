package dev.steward.frequency;

import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import java.time.Instant;

/**
 * A cap prepared for counting packed send logs: its filter compiled to bit masks and interned ids,
 * copied into fields of its own because {@link #counts} is the innermost loop of every decision.
 */
final class CompiledCap {
  final String id;
  final CapScope scope;
  final int max;
  final long rollingSeconds;
  final CalendarPeriod period;
  final int kindMask;
  final int channelMask;
  final int[] categoryIds;
  final int[] teamIds;
  final boolean perCategory;
  final String detail;
  private final CompiledFilter filter;

  /** The {@link Second} of the last decision; replaced each second (a benign race). */
  private Second second;

  CompiledCap(
      String id,
      CapScope scope,
      int max,
      Window window,
      MessageFilter filter,
      boolean perCategory,
      String detail,
      Vocabulary vocabulary) {
    this.id = id;
    this.scope = scope;
    this.max = max;
    this.rollingSeconds = window.isRolling() ? window.length().getSeconds() : 0;
    this.period = window.period();
    CompiledFilter compiled = new CompiledFilter(filter, vocabulary);
    this.kindMask = compiled.kindMask;
    this.channelMask = compiled.channelMask;
    this.categoryIds = compiled.categoryIds;
    this.teamIds = compiled.teamIds;
    this.filter = compiled;
    this.perCategory = perCategory;
    this.detail = detail;
  }

  static CompiledCap of(Cap cap, Vocabulary vocabulary) {
    return of(cap, cap.id(), vocabulary);
  }

  /**
   * The cap compiled under another rule id: a floor's caps are named {@code floor:<id>}, which may
   * be longer than a cap's own id may be.
   */
  static CompiledCap of(Cap cap, String id, Vocabulary vocabulary) {
    String detail =
        "at most "
            + cap.max()
            + " per "
            + describe(cap.window())
            + " per "
            + cap.scope().word()
            + (cap.perCategory() ? " and category" : "");
    return new CompiledCap(
        id,
        cap.scope(),
        cap.max(),
        cap.window(),
        cap.filter(),
        cap.perCategory(),
        detail,
        vocabulary);
  }

  static String describe(Window w) {
    return w.isRolling()
        ? "rolling " + w.label()
        : "calendar " + w.period().name().toLowerCase(java.util.Locale.ROOT) + " (recipient time)";
  }

  /**
   * What a rolling cap's reason shares among all decisions of one epoch second: the window's
   * instants and, for small caps, the reason it gives when it allows with a given count (every part
   * of it is then the same). All immutable once published; a slot filled twice by two threads holds
   * equal reasons.
   */
  static final class Second {
    /** Caps above this keep no allow reasons: an array per second would outweigh the saving. */
    private static final int MAX_SHARED = 64;

    final long now;
    final Instant start;
    final Instant end;
    final Reason[] allows;
    private final CompiledCap cap;

    private Second(CompiledCap cap, long now) {
      this.cap = cap;
      this.now = now;
      this.start = Instant.ofEpochSecond(now - cap.rollingSeconds + 1); // (now-W, now]
      this.end = Instant.ofEpochSecond(now + 1);
      this.allows = cap.max <= MAX_SHARED ? new Reason[cap.max] : null;
    }

    /**
     * The reason of this cap allowing with {@code used} sends in the window ({@code used < max}).
     */
    Reason allow(int used, String rule) {
      Reason r = allows[used];
      if (r == null) {
        r =
            Reason.of(
                DefaultFrequencyCapLimiter.GATE,
                rule,
                Outcome.ALLOW,
                cap.detail,
                new Reason.Usage(used, cap.max, start, end),
                null);
        allows[used] = r;
      }
      return r;
    }
  }

  /** This rolling cap's shared values for decisions at epoch second {@code now}. */
  Second second(long now) {
    Second s = second;
    if (s == null || s.now != now) {
      s = new Second(this, now);
      second = s;
    }
    return s;
  }

  /** True when this cap applies to a message of these attributes. */
  boolean applies(int kind, int channel, int categoryId, int teamId) {
    return filter.matches(kind, channel, categoryId, teamId);
  }

  /** True when the packed entry is a send this cap counts for a message of {@code categoryId}. */
  boolean counts(long meta, int categoryId) {
    if (SendLog.type(meta) != 0) {
      return false; // only SEND entries (ordinal 0) count
    }
    int label = SendLog.label(meta);
    return (kindMask & (1 << SendLog.kindOrdinal(meta))) != 0
        && (channelMask & (1 << SendLog.channelOrdinal(meta))) != 0
        && (!perCategory || label == categoryId)
        && CompiledFilter.contains(categoryIds, label)
        && CompiledFilter.contains(teamIds, SendLog.team(meta));
  }
}
