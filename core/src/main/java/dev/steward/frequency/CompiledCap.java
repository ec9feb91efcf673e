package dev.steward.frequency;

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

  CompiledCap(
      String id,
      CapScope scope,
      int max,
      Window window,
      MessageFilter filter,
      boolean perCategory,
      String detail) {
    this.id = id;
    this.scope = scope;
    this.max = max;
    this.rollingSeconds = window.isRolling() ? window.length().getSeconds() : 0;
    this.period = window.period();
    CompiledFilter compiled = new CompiledFilter(filter);
    this.kindMask = compiled.kindMask;
    this.channelMask = compiled.channelMask;
    this.categoryIds = compiled.categoryIds;
    this.teamIds = compiled.teamIds;
    this.filter = compiled;
    this.perCategory = perCategory;
    this.detail = detail;
  }

  static CompiledCap of(Cap cap) {
    String detail =
        "at most "
            + cap.max()
            + " per "
            + describe(cap.window())
            + " per "
            + cap.scope().word()
            + (cap.perCategory() ? " and category" : "");
    return new CompiledCap(
        cap.id(), cap.scope(), cap.max(), cap.window(), cap.filter(), cap.perCategory(), detail);
  }

  static String describe(Window w) {
    return w.isRolling()
        ? "rolling " + w.label()
        : "calendar " + w.period().name().toLowerCase(java.util.Locale.ROOT) + " (recipient time)";
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
