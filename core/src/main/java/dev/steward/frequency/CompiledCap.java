package dev.steward.frequency;

import dev.steward.model.Channel;
import dev.steward.model.MessageKind;
import java.util.Set;

/** A cap prepared for counting packed send logs: filters as bit masks and interned ids. */
final class CompiledCap {
  static final int ANY = -2;

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
    this.kindMask = mask(filter.kinds(), MessageKind.values().length);
    this.channelMask = mask(filter.channels(), Channel.values().length);
    this.categoryIds = ids(filter.categories());
    this.teamIds = ids(filter.teams());
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

  private static <E extends Enum<E>> int mask(Set<E> values, int size) {
    if (values.isEmpty()) {
      return (1 << size) - 1;
    }
    int m = 0;
    for (E e : values) {
      m |= 1 << e.ordinal();
    }
    return m;
  }

  private static int[] ids(Set<String> names) {
    if (names.isEmpty()) {
      return null;
    }
    int[] out = new int[names.size()];
    int i = 0;
    for (String n : names) {
      out[i++] = Interner.id(n);
    }
    return out;
  }

  private static boolean contains(int[] ids, int id) {
    if (ids == null) {
      return true;
    }
    for (int x : ids) {
      if (x == id) {
        return true;
      }
    }
    return false;
  }

  /** True when this cap applies to a message of these attributes. */
  boolean applies(int kind, int channel, int categoryId, int teamId) {
    return (kindMask & (1 << kind)) != 0
        && (channelMask & (1 << channel)) != 0
        && contains(categoryIds, categoryId)
        && contains(teamIds, teamId);
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
        && contains(categoryIds, label)
        && contains(teamIds, SendLog.team(meta));
  }
}
