package dev.steward.frequency;

import dev.steward.model.Channel;
import dev.steward.model.InvalidModelException;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which messages a rule applies to and counts: by kind, category, channel and source team. An empty
 * set means all.
 */
public record MessageFilter(
    Set<MessageKind> kinds, Set<String> categories, Set<Channel> channels, Set<String> teams) {

  /** The filter that matches every message. */
  public static final MessageFilter ALL = new MessageFilter(Set.of(), Set.of(), Set.of(), Set.of());

  public MessageFilter {
    kinds = freezeEnums(kinds, MessageKind.class);
    channels = freezeEnums(channels, Channel.class);
    categories = freezeNames(categories, "categories", true);
    teams = freezeNames(teams, "teams", false);
  }

  /** True when the filter matches every message. */
  public boolean matchesAll() {
    return kinds.isEmpty() && categories.isEmpty() && channels.isEmpty() && teams.isEmpty();
  }

  /** True when {@code message} is one the rule applies to. */
  public boolean matches(Message message) {
    return (kinds.isEmpty() || kinds.contains(message.kind()))
        && (categories.isEmpty() || categories.contains(message.category()))
        && (channels.isEmpty() || channels.contains(message.channel()))
        && (teams.isEmpty() || teams.contains(message.source().team()));
  }

  /** This filter restricted to {@code kinds}. */
  public MessageFilter withKinds(Collection<MessageKind> kinds) {
    return new MessageFilter(Set.copyOf(kinds), categories, channels, teams);
  }

  /** This filter restricted to {@code categories}. */
  public MessageFilter withCategories(Collection<String> categories) {
    return new MessageFilter(kinds, Set.copyOf(categories), channels, teams);
  }

  /** This filter restricted to {@code channels}. */
  public MessageFilter withChannels(Collection<Channel> channels) {
    return new MessageFilter(kinds, categories, Set.copyOf(channels), teams);
  }

  /** This filter restricted to source {@code teams}. */
  public MessageFilter withTeams(Collection<String> teams) {
    return new MessageFilter(kinds, categories, channels, Set.copyOf(teams));
  }

  /** A suffix for derived rule ids, empty for {@link #ALL}. */
  String idSuffix() {
    StringBuilder sb = new StringBuilder();
    for (MessageKind k : kinds) {
      sb.append('-').append(k.name().toLowerCase(Locale.ROOT));
    }
    if (!categories.isEmpty()) {
      sb.append("-").append(String.join("+", categories));
    }
    for (Channel c : channels) {
      sb.append('-').append(c.name().toLowerCase(Locale.ROOT));
    }
    if (!teams.isEmpty()) {
      sb.append("-from-").append(String.join("+", teams));
    }
    return sb.toString();
  }

  private static <E extends Enum<E>> Set<E> freezeEnums(Set<E> values, Class<E> type) {
    if (values == null || values.isEmpty()) {
      return Set.of();
    }
    for (E e : values) {
      if (e == null) {
        throw new InvalidPolicyException(
            type.getSimpleName().toLowerCase(Locale.ROOT) + " filter must not contain null");
      }
    }
    return Collections.unmodifiableSet(EnumSet.copyOf(values));
  }

  private static Set<String> freezeNames(Set<String> values, String field, boolean category) {
    if (values == null || values.isEmpty()) {
      return Set.of();
    }
    TreeSet<String> out = new TreeSet<>();
    for (String v : values) {
      if (v == null || v.isBlank()) {
        throw new InvalidPolicyException(field + ": names must not be empty");
      }
      try {
        out.add(category ? Message.category(v) : v.strip().toLowerCase(Locale.ROOT));
      } catch (InvalidModelException e) {
        throw new InvalidPolicyException(field + ": " + e.getMessage(), e);
      }
    }
    return Collections.unmodifiableSet(out);
  }
}
