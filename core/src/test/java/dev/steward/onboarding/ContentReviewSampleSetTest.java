package dev.steward.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The built-in content checks on the labelled sample set (good newsletters and receipts,
 * phishing-like and spam-like mail), written for these tests: a sample is flagged when its review
 * does not pass (FAIL or NEEDS_REVIEW both keep a tenant out of the pilot until a reviewer passes
 * it). Precision and recall of "flagged" against the "bad" label are computed and printed.
 *
 * <p>Thresholds: recall at least 0.90, because a bad sample let through puts a bad sender on shared
 * IPs, which harms every tenant there; precision at least 0.80, because a good sample flagged costs
 * one reviewer's look, not a tenant's onboarding.
 */
class ContentReviewSampleSetTest {
  static final double MIN_RECALL = 0.90;
  static final double MIN_PRECISION = 0.80;

  @Test
  void theReviewFindsTheBadSamplesWithoutFlaggingMostGoodOnes() {
    List<LabelledSamples.Labelled> samples = LabelledSamples.load();
    assertThat(samples).hasSizeGreaterThanOrEqualTo(50);
    Map<String, Long> byCategory = new TreeMap<>();
    samples.forEach(s -> byCategory.merge(s.category(), 1L, Long::sum));
    assertThat(byCategory.keySet()).containsExactly("newsletter", "phishing", "receipt", "spam");

    int tp = 0;
    int fp = 0;
    int fn = 0;
    int tn = 0;
    StringBuilder misses = new StringBuilder();
    for (LabelledSamples.Labelled s : samples) {
      CheckReport r = ContentChecks.reviewOne(ContentChecks.defaults(), s.email(), s.context());
      boolean flagged = r.verdict() != Verdict.PASS;
      if (flagged && s.bad()) {
        tp++;
      } else if (flagged) {
        fp++;
        misses
            .append("  false positive ")
            .append(s.id())
            .append(": ")
            .append(r.problems())
            .append('\n');
      } else if (s.bad()) {
        fn++;
        misses.append("  false negative ").append(s.id()).append('\n');
      } else {
        tn++;
      }
    }
    double precision = (double) tp / (tp + fp);
    double recall = (double) tp / (tp + fn);
    String report =
        String.format(
            Locale.ROOT,
            "content review on %d labelled samples %s: TP=%d FP=%d FN=%d TN=%d"
                + " precision=%.3f recall=%.3f%n%s",
            samples.size(),
            byCategory,
            tp,
            fp,
            fn,
            tn,
            precision,
            recall,
            misses);
    System.out.print(report);

    assertThat(tp + fp + fn + tn).isEqualTo(samples.size());
    assertThat(recall).as(report).isGreaterThanOrEqualTo(MIN_RECALL);
    assertThat(precision).as(report).isGreaterThanOrEqualTo(MIN_PRECISION);
  }
}
