package dev.steward.frequency;

import dev.steward.model.Channel;
import dev.steward.model.MessageKind;
import java.util.Set;

/**
 * A {@link MessageFilter} prepared for ids: kinds and channels as bit masks, categories and teams
 * as interned ids. Every name a filter holds is interned when the filter is compiled, so a message
 * whose category or team has no id yet is named by no filter: all such messages match alike, which
 * lets the limiter cache rule sets by id.
 */
final class CompiledFilter {
  final int kindMask;
  final int channelMask;

  /** The category ids, or null for any category. */
  final int[] categoryIds;

  /** The team ids, or null for any team. */
  final int[] teamIds;

  CompiledFilter(MessageFilter filter, Vocabulary vocabulary) {
    this.kindMask = mask(filter.kinds(), MessageKind.values().length);
    this.channelMask = mask(filter.channels(), Channel.values().length);
    this.categoryIds = ids(filter.categories(), vocabulary.labels);
    this.teamIds = ids(filter.teams(), vocabulary.teams);
  }

  /** True when a message of these attributes matches ({@code -1}: a name without an id). */
  boolean matches(int kind, int channel, int categoryId, int teamId) {
    return (kindMask & (1 << kind)) != 0
        && (channelMask & (1 << channel)) != 0
        && contains(categoryIds, categoryId)
        && contains(teamIds, teamId);
  }

  static boolean contains(int[] ids, int id) {
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

  private static int[] ids(Set<String> names, Interner interner) {
    if (names.isEmpty()) {
      return null;
    }
    int[] out = new int[names.size()];
    int i = 0;
    for (String n : names) {
      out[i++] = interner.id(n);
    }
    return out;
  }
}
