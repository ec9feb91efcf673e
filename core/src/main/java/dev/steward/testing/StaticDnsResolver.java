package dev.steward.testing;

import dev.steward.onboarding.DnsResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link DnsResolver} answering from records set by the test: any name not set is not found.
 * Remembers the names asked, so a test can see which zones were queried. Thread-safe.
 */
public final class StaticDnsResolver implements DnsResolver {
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<String> asked = java.util.Collections.synchronizedList(new ArrayList<>());

  /** A resolver with no records. */
  public static StaticDnsResolver of() {
    return new StaticDnsResolver();
  }

  private StaticDnsResolver() {}

  private static String key(String name, RecordType type) {
    String n = name.toLowerCase(Locale.ROOT);
    return (n.endsWith(".") ? n.substring(0, n.length() - 1) : n) + " " + type;
  }

  /** Sets the records of {@code type} at {@code name}, replacing any. */
  public StaticDnsResolver set(String name, RecordType type, String... values) {
    answers.put(key(name, type), Answer.found(List.of(values)));
    return this;
  }

  /** Makes lookups of {@code type} at {@code name} fail with {@code detail}. */
  public StaticDnsResolver fail(String name, RecordType type, String detail) {
    answers.put(key(name, type), Answer.failed(detail));
    return this;
  }

  /** Removes the records of {@code type} at {@code name}. */
  public StaticDnsResolver remove(String name, RecordType type) {
    answers.remove(key(name, type));
    return this;
  }

  @Override
  public Answer resolve(String name, RecordType type) {
    String k = key(name, type);
    asked.add(k);
    return answers.getOrDefault(k, Answer.notFound());
  }

  /** Every lookup so far, as {@code "name TYPE"}, in order. */
  public List<String> asked() {
    synchronized (asked) {
      return List.copyOf(asked);
    }
  }
}
