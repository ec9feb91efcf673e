package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochNanosTest {
  @Test
  void instantsInRangeRoundTripExactlyAndKeepTheirOrder() {
    List<Instant> instants =
        List.of(
            EpochNanos.MIN,
            Instant.parse("1900-01-01T00:00:00.000000001Z"),
            Instant.parse("1969-12-31T23:59:59.999999999Z"),
            Instant.EPOCH,
            Instant.parse("2026-03-01T10:00:00.123456789Z"),
            EpochNanos.MAX);
    long previous = Long.MIN_VALUE;
    for (Instant i : instants) {
      long column = EpochNanos.of(i, "at");
      assertThat(EpochNanos.toInstant(column)).isEqualTo(i);
      assertThat(column).isGreaterThanOrEqualTo(previous);
      previous = column;
    }
    assertThat(EpochNanos.of(EpochNanos.MIN, "at")).isEqualTo(Long.MIN_VALUE);
    assertThat(EpochNanos.of(EpochNanos.MAX, "at")).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void storedInstantsOutOfRangeAreRefusedNamingTheField() {
    assertThatThrownBy(() -> EpochNanos.of(EpochNanos.MAX.plusNanos(1), "dueAt"))
        .isInstanceOf(InvalidStoreInputException.class)
        .hasMessageStartingWith("dueAt 2262-04-11T23:47:16.854775808Z is outside");
    assertThatThrownBy(() -> EpochNanos.of(Instant.MIN, "at"))
        .isInstanceOf(InvalidStoreInputException.class);
    assertThatThrownBy(() -> EpochNanos.of(null, "at"))
        .isInstanceOf(InvalidStoreInputException.class)
        .hasMessage("at must not be null");
  }

  @Test
  void queryBoundsOutOfRangeAreClamped() {
    assertThat(EpochNanos.bound(Instant.MIN, "from")).isEqualTo(Long.MIN_VALUE);
    assertThat(EpochNanos.bound(Instant.MAX, "to")).isEqualTo(Long.MAX_VALUE);
    assertThat(EpochNanos.bound(Instant.EPOCH.plusNanos(5), "to")).isEqualTo(5);
  }

  /**
   * The operators answer, for every stored value at or between the ends, as the comparison with the
   * unclamped bound does: checked at the ends and beside them, for bounds inside and outside.
   */
  @Test
  void operatorsWithAClampedBoundAnswerAsTheUnclampedBound() {
    List<Instant> stored =
        List.of(
            EpochNanos.MIN,
            EpochNanos.MIN.plusNanos(1),
            Instant.EPOCH,
            EpochNanos.MAX.minusNanos(1),
            EpochNanos.MAX);
    List<Instant> bounds =
        List.of(
            Instant.MIN,
            EpochNanos.MIN.minusNanos(1),
            EpochNanos.MIN,
            Instant.EPOCH,
            EpochNanos.MAX,
            EpochNanos.MAX.plusNanos(1),
            Instant.parse("9999-12-31T23:59:59Z"),
            Instant.MAX);
    for (Instant b : bounds) {
      long clamped = EpochNanos.bound(b, "bound");
      for (Instant v : stored) {
        long column = EpochNanos.of(v, "at");
        assertThat(sql(column, EpochNanos.before(b), clamped))
            .as("%s before %s", v, b)
            .isEqualTo(v.isBefore(b));
        assertThat(sql(column, EpochNanos.atOrAfter(b), clamped))
            .as("%s at or after %s", v, b)
            .isEqualTo(!v.isBefore(b));
      }
    }
    // the plain clamp is what they correct: a value at the last instant is before Instant.MAX
    assertThat(sql(Long.MAX_VALUE, "<", EpochNanos.bound(Instant.MAX, "to"))).isFalse();
  }

  private static boolean sql(long column, String op, long value) {
    return switch (op) {
      case "<" -> column < value;
      case "<=" -> column <= value;
      case ">" -> column > value;
      case ">=" -> column >= value;
      default -> throw new AssertionError(op);
    };
  }
}
