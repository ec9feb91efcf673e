package dev.steward.schedule;

import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A kind of work and how its payload is written and read. The payload is versioned: {@link #decode}
 * gets the version an item was written with, so a handler can read items written by an older
 * release; a payload it cannot read fails that item alone (it goes DEAD with the error), never the
 * rest of a claim.
 *
 * @param <P> the payload's type
 */
public interface WorkType<P> {

  /** The kind name, as in {@link WorkKey#kind()}. */
  String kind();

  /** The version {@link #encode} writes. */
  int version();

  /** The payload as a JSON object. */
  String encode(P payload);

  /** Reads a payload written with {@code version}; throws if it cannot. */
  P decode(String json, int version);

  /** A type from an encoder and a decoder. */
  static <P> WorkType<P> of(
      String kind,
      int version,
      Function<P, String> encoder,
      BiFunction<String, Integer, P> decoder) {
    WorkKey.checkKind(kind);
    if (version < 1) {
      throw new InvalidWorkException("version of kind '" + kind + "' must be at least 1");
    }
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(decoder, "decoder");
    return new WorkType<>() {
      @Override
      public String kind() {
        return kind;
      }

      @Override
      public int version() {
        return version;
      }

      @Override
      public String encode(P payload) {
        return encoder.apply(payload);
      }

      @Override
      public P decode(String json, int v) {
        return decoder.apply(json, v);
      }

      @Override
      public String toString() {
        return "WorkType[" + kind + " v" + version + "]";
      }
    };
  }

  /** A type whose payload is the raw JSON text itself. */
  static WorkType<String> json(String kind) {
    return of(kind, 1, s -> s, (s, v) -> s);
  }
}
