package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentimentAndTrendTest {
  final SentimentAnalyzer lexicon = SentimentAnalyzer.lexicon();

  @Test
  void lexiconScoresPositiveNegativeAndMixedText() {
    assertThat(lexicon.score("Thanks, we love the new dashboard!")).isEqualTo(1);
    assertThat(lexicon.score("The export is broken and support is slow.")).isEqualTo(-1);
    assertThat(lexicon.score("Great product, but the export is broken")).isEqualTo(0);
    assertThat(lexicon.score("See you on Tuesday")).isEqualTo(0);
    assertThat(lexicon.score("")).isEqualTo(0);
  }

  @Test
  void negationFlipsTheNextWords() {
    assertThat(lexicon.score("This is not good")).isEqualTo(-1);
    assertThat(lexicon.score("It wasn't a problem at all")).isEqualTo(1);
    assertThat(lexicon.score("not that it matters, the whole thing is great")).isEqualTo(1);
  }

  @Test
  void meanOfTextsAndAPluggedAnalyser() {
    assertThat(lexicon.mean(List.of("great", "terrible", "great"))).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(lexicon.mean(List.of())).isNaN();
    SentimentAnalyzer shouty = text -> text.endsWith("!") ? 1 : -1;
    assertThat(shouty.mean(List.of("yes!", "no"))).isZero();
  }

  @Test
  void ticketTrendComparesTheLastWindowWithTheOneBefore() {
    Instant asOf = Instant.parse("2026-03-01T00:00:00Z");
    Duration w = Duration.ofDays(30);
    List<Instant> tickets =
        List.of(
            asOf.minus(Duration.ofDays(50)),
            asOf.minus(Duration.ofDays(40)),
            asOf.minus(Duration.ofDays(35)),
            asOf.minus(Duration.ofDays(31)),
            asOf.minus(Duration.ofDays(5)),
            asOf.minus(Duration.ofDays(30))); // the boundary belongs to the newer window
    assertThat(Trend.countInWindow(tickets, asOf, w)).isEqualTo(2);
    // 2 now against 4 before: -0.5
    assertThat(Trend.ofEvents(tickets, asOf, w)).isCloseTo(-0.5, within(1e-12));
    assertThat(Trend.ofEvents(List.of(asOf.minusSeconds(1)), asOf, w)).isEqualTo(1);
    assertThat(Trend.relativeChange(900, 1000, 1)).isCloseTo(-0.1, within(1e-12));
  }
}
