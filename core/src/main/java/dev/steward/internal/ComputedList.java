package dev.steward.internal;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * An unmodifiable list whose elements are computed on first read: a decision's explanation, which
 * most callers never read, then costs nothing until someone does. The computation must be a pure
 * function of state fixed when the list was made; two threads reading at once may both compute it,
 * and both get equal elements.
 *
 * @param <E> the element type
 */
public abstract class ComputedList<E> extends AbstractList<E> implements RandomAccess {
  private volatile List<E> values;

  /** For subclasses, which say how to compute the elements. */
  protected ComputedList() {}

  /** Computes the elements; called at most once per reading thread, never null, no null inside. */
  protected abstract List<E> compute();

  private List<E> values() {
    List<E> v = values;
    if (v == null) {
      v = List.copyOf(compute());
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
