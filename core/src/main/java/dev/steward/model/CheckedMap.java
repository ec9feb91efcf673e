package dev.steward.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A small personalisation map {@link Message} copied and checked: its keys and values side by side
 * in one array, in the order they were given, unmodifiable as {@code Collections.unmodifiableMap}
 * is (every mutator throws, whether or not it would change anything).
 *
 * <p>Why not a {@code LinkedHashMap} behind {@code Collections.unmodifiableMap}: a message is built
 * for every journey step, and that copy of a contact's few attributes cost a map, its table, a node
 * per entry and the wrapper; this is one object and one array, and a key is found by a scan that is
 * as quick as hashing for the few keys it is used for ({@link #MAX_SIZE}). Being made only here,
 * from values already checked, an instance needs no copying or checking again when a message is
 * built from another's personalisation.
 */
final class CheckedMap extends AbstractMap<String, Object> {
  /** The most entries kept in this form; a larger map is copied into a hash map as before. */
  static final int MAX_SIZE = 8;

  /** The empty one: immutable, so shared. */
  static final CheckedMap EMPTY = new CheckedMap(new Object[0]);

  /** Key {@code i} at {@code 2i}, its value at {@code 2i + 1}. */
  private final Object[] entries;

  /**
   * Takes {@code entries} (keys checked, distinct, non-null strings; values checked) as they are.
   */
  CheckedMap(Object[] entries) {
    this.entries = entries;
  }

  @Override
  public int size() {
    return entries.length >> 1;
  }

  private int indexOf(Object key) {
    if (key != null) {
      for (int i = 0; i < entries.length; i += 2) {
        if (key.equals(entries[i])) {
          return i;
        }
      }
    }
    return -1;
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public Object get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : entries[i + 1];
  }

  @Override
  public Object getOrDefault(Object key, Object defaultValue) {
    int i = indexOf(key);
    return i < 0 ? defaultValue : entries[i + 1];
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Object> action) {
    Objects.requireNonNull(action, "action");
    for (int i = 0; i < entries.length; i += 2) {
      action.accept((String) entries[i], entries[i + 1]);
    }
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return Collections.unmodifiableSet(new Entries());
  }

  @Override
  public Set<String> keySet() {
    return Collections.unmodifiableSet(super.keySet());
  }

  @Override
  public Collection<Object> values() {
    return Collections.unmodifiableCollection(super.values());
  }

  /** The entries in order, each an immutable entry (a value may be null). */
  private final class Entries extends AbstractSet<Entry<String, Object>> {
    @Override
    public int size() {
      return CheckedMap.this.size();
    }

    @Override
    public Iterator<Entry<String, Object>> iterator() {
      return new Iterator<>() {
        private int next;

        @Override
        public boolean hasNext() {
          return next < entries.length;
        }

        @Override
        public Entry<String, Object> next() {
          if (next >= entries.length) {
            throw new NoSuchElementException();
          }
          int i = next;
          next += 2;
          return new SimpleImmutableEntry<>((String) entries[i], entries[i + 1]);
        }
      };
    }
  }

  // ---- unmodifiable: every mutator throws, as Collections.unmodifiableMap's do

  @Override
  public Object put(String key, Object value) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Object remove(Object key) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void putAll(Map<? extends String, ?> m) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void clear() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void replaceAll(BiFunction<? super String, ? super Object, ?> function) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Object putIfAbsent(String key, Object value) {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean remove(Object key, Object value) {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean replace(String key, Object oldValue, Object newValue) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Object replace(String key, Object value) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Object computeIfAbsent(String key, Function<? super String, ?> mappingFunction) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Object computeIfPresent(
      String key, BiFunction<? super String, ? super Object, ?> remappingFunction) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Object compute(
      String key, BiFunction<? super String, ? super Object, ?> remappingFunction) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Object merge(
      String key, Object value, BiFunction<? super Object, ? super Object, ?> remappingFunction) {
    throw new UnsupportedOperationException();
  }
}
