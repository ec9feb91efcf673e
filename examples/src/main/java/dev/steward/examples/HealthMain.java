package dev.steward.examples;

import dev.steward.health.HealthBandChanged;
import dev.steward.health.HealthInputs;
import dev.steward.health.HealthListener;
import dev.steward.health.HealthMonitor;
import dev.steward.health.HealthScore;
import dev.steward.health.HealthScoreCalculator;
import dev.steward.health.Mapping;
import dev.steward.health.Measure;
import dev.steward.health.Scorecard;
import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;

/**
 * The health example: one account scored weekly with an explainable scorecard; when its score stays
 * in the red band, a playbook listener would enrol it in a CSM check-in journey.
 */
public final class HealthMain {
  private HealthMain() {}

  public static void main(String[] args) {
    Scorecard card =
        Scorecard.builder("smb-health")
            .version(3)
            .group(
                "usage",
                3,
                Measure.of("active-days-14", 2, Mapping.linear(0, 10)),
                Measure.of("seat-activation", 1, Mapping.linear(0.2, 0.9)))
            .group(
                "support",
                1,
                Measure.of("tickets-open", 1, Mapping.linear(6, 0)).withMaxAge(Duration.ofDays(14)))
            .measure(Measure.of("nps", 1, Mapping.linear(-50, 70)).withMaxAge(Duration.ofDays(120)))
            .build();

    TenantId tenant = TenantId.of("default"); // a customer-success team talks to its own customers
    AccountId acme = AccountId.of("acme");
    HealthMonitor monitor =
        HealthMonitor.colours()
            .listener(
                new HealthListener() {
                  @Override
                  public void onBandChanged(HealthBandChanged e) {
                    say(
                        "  >> "
                            + e.account()
                            + " moved "
                            + e.from()
                            + " -> "
                            + e.to()
                            + (e.worsened() && "red".equals(e.to())
                                ? ": playbook enrols it in journey 'csm-check-in' and sends the risk email"
                                : ""));
                  }
                })
            .build();

    Instant week = Instant.parse("2026-03-02T09:00:00Z");
    double[][] weeks = { // active days, seat activation, open tickets
      {9, 0.80, 1}, {6, 0.70, 3}, {3, 0.55, 5}, {2, 0.50, 6}, {2, 0.50, 5}
    };
    for (double[] w : weeks) {
      HealthInputs inputs =
          HealthInputs.builder()
              .put("active-days-14", w[0], week)
              .put("seat-activation", w[1], week)
              .put("tickets-open", w[2], week)
              .put("nps", 20, Instant.parse("2026-02-10T00:00:00Z"))
              .build();
      HealthScore score = HealthScoreCalculator.score(card, inputs, week);
      say("Week of " + week.toString().substring(0, 10) + ":");
      say(score.describe().indent(2).stripTrailing());
      monitor.evaluate(tenant, acme, score);
      week = week.plus(Duration.ofDays(7));
    }
  }

  private static void say(String line) {
    System.out.println(line);
  }
}
