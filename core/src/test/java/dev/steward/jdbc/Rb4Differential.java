package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * What rb4's differential tests share: a trail of the calls made so far, and each call's answer
 * from the in-memory store and its JDBC twin compared (an answer, or the type of what it threw).
 */
final class Rb4Differential<S> {
  private final long seed;
  private final S model;
  private final S jdbc;
  private final List<String> trail = new ArrayList<>();

  Rb4Differential(long seed, S model, S jdbc) {
    this.seed = seed;
    this.model = model;
    this.jdbc = jdbc;
  }

  /**
   * Seeds 1 to 10, each on H2 ({@code h2}) and on PostgreSQL: the arguments of a differential test
   * named {@code "{0} seed {2}"} (rb5: PostgreSQL writes through arrays and judges leases by each
   * statement's clock, H2 does neither).
   */
  static Stream<Arguments> seedsOnH2AndPostgres(TestDatabase h2) {
    return LongStream.rangeClosed(1, 10)
        .boxed()
        .flatMap(
            seed ->
                Stream.of(
                    Arguments.of("H2", h2, seed),
                    Arguments.of("PostgreSQL", TestDatabase.postgres(), seed)));
  }

  /** One random call of a sequence, made on both stores through {@code both}. */
  interface Call<S> {
    void make(Rb4Differential<S> both, Random r, int step);
  }

  /**
   * Makes {@code calls} random calls, seeded with {@code seed}, on both stores (the database's
   * tables cleared first), comparing every answer.
   */
  static <S> void run(
      TestDatabase db,
      long seed,
      S model,
      java.util.function.Supplier<S> jdbc,
      int calls,
      Call<S> call) {
    db.clear();
    Rb4Differential<S> both = new Rb4Differential<>(seed, model, jdbc.get());
    Random r = new Random(seed);
    for (int step = 0; step < calls; step++) {
      call.make(both, r, step);
    }
  }

  /** Makes {@code call} on both stores and asserts the same answer; returns the model's. */
  Object check(String call, Function<S, Object> op) {
    trail.add(call);
    Object expected = answer(op, model);
    Object actual = answer(op, jdbc);
    assertThat(actual)
        .as(
            "seed %d, call %d: %s\nafter %s",
            seed, trail.size() - 1, call, String.join("\n", trail))
        .isEqualTo(expected);
    return expected;
  }

  /** The call's answer, or the type of what it threw. */
  static <S> Object answer(Function<S, Object> op, S store) {
    try {
      return op.apply(store);
    } catch (RuntimeException e) {
      return e.getClass();
    }
  }

  static String pick(Random r, String... values) {
    return values[r.nextInt(values.length)];
  }
}
