package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecayedCounterTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration WEEK = Duration.ofDays(7);

  @Test
  void eachEventHalvesPerHalfLife() {
    // 4 events at T0, 2 at T0+7d; at T0+14d: 4 * 1/4 + 2 * 1/2 = 2
    DecayedCounter c =
        DecayedCounter.empty(WEEK, T0).plus(T0, 4).plus(T0.plus(WEEK), 2);
    assertThat(c.valueAt(T0.plus(WEEK.multipliedBy(2)))).isCloseTo(2.0, within(1e-12));
    assertThat(c.reference()).isEqualTo(T0.plus(WEEK));
    assertThat(c.value()).isCloseTo(4 * 0.5 + 2, within(1e-12));
  }

  @Test
  void streamingInAnyOrderAndMergingPartsEqualsTheBatchSum() {
    Random random = new Random(7);
    List<Instant> times = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      times.add(T0.plusSeconds(random.nextInt(60 * 86_400)));
    }
    Instant asOf = T0.plus(Duration.ofDays(61));
    double batch = 0;
    for (Instant t : times) {
      batch += Math.pow(2, -(double) Duration.between(t, asOf).toMillis() / WEEK.toMillis());
    }
    DecayedCounter stream = DecayedCounter.empty(WEEK, T0);
    for (Instant t : times) {
      stream = stream.plus(t);
    }
    List<Instant> shuffled = new ArrayList<>(times);
    Collections.shuffle(shuffled, random);
    DecayedCounter a = DecayedCounter.empty(WEEK, T0);
    DecayedCounter b = DecayedCounter.empty(WEEK, T0);
    for (int i = 0; i < shuffled.size(); i++) {
      if (i % 3 == 0) {
        a = a.plus(shuffled.get(i));
      } else {
        b = b.plus(shuffled.get(i));
      }
    }
    assertThat(stream.valueAt(asOf)).isCloseTo(batch, within(1e-9));
    assertThat(a.merge(b).valueAt(asOf)).isCloseTo(batch, within(1e-9));
    assertThat(b.merge(a).valueAt(asOf)).isCloseTo(batch, within(1e-9));
  }

  @Test
  void calculatorDecaysTheCounterToTheScoringTime() {
    Scorecard card =
        Scorecard.builder("d")
            .measure(Measure.of("logins", 1, Mapping.linear(0, 10)).withHalfLife(WEEK))
            .build();
    DecayedCounter c = DecayedCounter.empty(WEEK, T0).plus(T0, 8);
    HealthInputs in = HealthInputs.builder().put("logins", c).build();
    // 8 events two half-lives back count 2: linear 0..10 gives 20
    assertThat(HealthScoreCalculator.score(card, in, T0.plus(WEEK.multipliedBy(2))).value())
        .isCloseTo(20, within(1e-9));
  }

  @Test
  void mismatchedHalfLivesAndReadingTheFutureBackwardsAreRejected() {
    DecayedCounter a = DecayedCounter.empty(WEEK, T0);
    assertThatThrownBy(() -> a.merge(DecayedCounter.empty(Duration.ofDays(1), T0)))
        .hasMessageContaining("cannot merge counters with half-lives PT168H and PT24H");
    assertThatThrownBy(() -> a.plus(T0.plusSeconds(10)).valueAt(T0))
        .hasMessageContaining("cannot read it earlier");
  }
}
