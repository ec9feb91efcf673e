package dev.steward.internal;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import java.util.function.Supplier;

/**
 * An unmodifiable list whose elements are computed on first read: a decision's explanation, which
 * most callers never read, then costs nothing until someone does. The computation must be a pure
 * function of state fixed when the list was made; two threads reading at once may both compute it,
 * and both get equal elements, copied into an immutable list. Final, so that a list trusted as
 * immutable (a decision does not copy one) cannot be a subclass that changes under its reader.
 *
 * @param <E> the element type
 */
public final class ComputedList<E> extends AbstractList<E> implements RandomAccess {
  private final Supplier<? extends List<? extends E>> computation;
  private final RuleOutline<?> outline;
  private volatile List<E> values;

  /** A list of what {@code computation} gives on first read; it is never called again after. */
  public ComputedList(Supplier<? extends List<? extends E>> computation) {
    this(computation, null);
  }

  /**
   * As {@link #ComputedList(Supplier)}, with what its reasons say of their rules, read without
   * computing them; {@code outline} may be null (none known).
   */
  public ComputedList(Supplier<? extends List<? extends E>> computation, RuleOutline<?> outline) {
    if (computation == null) {
      throw new NullPointerException("computation");
    }
    this.computation = computation;
    this.outline = outline;
  }

  /** Its elements' rules without computing them, or null when none was given. */
  public RuleOutline<?> outline() {
    return outline;
  }

  private List<E> values() {
    List<E> v = values;
    if (v == null) {
      v = List.copyOf(computation.get());
      values = v;
    }
    return v;
  }

  @Override
  public E get(int index) {
    return values().get(index);
  }

  @Override
  public int size() {
    return values().size();
  }
}
