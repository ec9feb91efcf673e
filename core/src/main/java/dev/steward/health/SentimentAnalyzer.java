package dev.steward.health;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;

/**
 * Scores the sentiment of a text (a reply, a ticket comment) from -1 (negative) to 1 (positive). Plug
 * in a model or a service; {@link #lexicon()} is a small offline default.
 */
@FunctionalInterface
public interface SentimentAnalyzer {

  /** The sentiment of the text, -1..1; 0 when neutral or unknown. */
  double score(String text);

  /** The mean sentiment of the texts, NaN when there are none. */
  default double mean(Collection<String> texts) {
    if (texts.isEmpty()) {
      return Double.NaN;
    }
    double sum = 0;
    for (String t : texts) {
      sum += score(t);
    }
    return sum / texts.size();
  }

  /**
   * A lexicon-based English analyser that works offline: counts positive and negative words, a
   * negation ("not", "never", "no", "n't") within the three words before flips a word, and the score
   * is {@code (positive - negative) / (positive + negative)}.
   */
  static SentimentAnalyzer lexicon() {
    return LexiconSentiment.INSTANCE;
  }

  /** The default analyser's word lists, for reference. */
  final class LexiconSentiment implements SentimentAnalyzer {
    static final LexiconSentiment INSTANCE = new LexiconSentiment();

    /** Words that count as positive. */
    public static final Set<String> POSITIVE =
        Set.of(
            "good", "great", "excellent", "love", "loved", "loves", "like", "thanks", "thank",
            "happy", "helpful", "awesome", "perfect", "amazing", "pleased", "appreciate",
            "appreciated", "easy", "fantastic", "resolved", "works", "working", "glad", "smooth",
            "recommend", "satisfied", "fast", "reliable", "valuable", "impressed");

    /** Words that count as negative. */
    public static final Set<String> NEGATIVE =
        Set.of(
            "bad", "terrible", "awful", "cancel", "cancelling", "canceling", "frustrated",
            "frustrating", "angry", "disappointed", "disappointing", "broken", "bug", "bugs",
            "slow", "worst", "hate", "problem", "problems", "unhappy", "useless", "refund",
            "expensive", "poor", "difficult", "fail", "failed", "fails", "failing", "error",
            "errors", "confusing", "unacceptable", "annoying", "crash", "crashes", "down", "leave");

    private static final Set<String> NEGATORS =
        Set.of("not", "no", "never", "nothing", "hardly", "without", "dont", "don't", "isnt",
            "isn't", "wasnt", "wasn't", "cant", "can't", "doesnt", "doesn't", "didnt", "didn't");

    private LexiconSentiment() {}

    @Override
    public double score(String text) {
      if (text == null || text.isBlank()) {
        return 0;
      }
      String[] words = text.toLowerCase(Locale.ROOT).split("[^a-z']+");
      int positive = 0;
      int negative = 0;
      int sinceNegator = Integer.MAX_VALUE;
      for (String w : words) {
        if (w.isEmpty()) {
          continue;
        }
        if (NEGATORS.contains(w) || w.endsWith("n't")) {
          sinceNegator = 0;
          continue;
        }
        sinceNegator = sinceNegator == Integer.MAX_VALUE ? sinceNegator : sinceNegator + 1;
        boolean flipped = sinceNegator <= 3;
        if (POSITIVE.contains(w)) {
          if (flipped) {
            negative++;
          } else {
            positive++;
          }
        } else if (NEGATIVE.contains(w)) {
          if (flipped) {
            positive++;
          } else {
            negative++;
          }
        }
      }
      int all = positive + negative;
      return all == 0 ? 0 : (double) (positive - negative) / all;
    }
  }
}
