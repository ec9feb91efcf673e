package dev.steward.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.EmailAddress;
import dev.steward.model.StoreLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Review of {@link RecipientTable} with addresses whose hash codes are all equal ("a~" and "b_"
 * have the same {@code String.hashCode}, so do all local parts made of those blocks): every key has
 * the same home slot, probe runs span the table and wrap around its end, and removals land in their
 * middle. Instants sit at the storable extremes (negative epoch seconds, nanos 999,999,999).
 */
class RgovCollidingRecipientsTest {
  private static final Instant[] EDGES = {
    StoreLimits.MIN_INSTANT,
    StoreLimits.MIN_INSTANT.plusNanos(1),
    Instant.ofEpochSecond(-1, 999_999_999),
    Instant.ofEpochSecond(-1, 0),
    Instant.EPOCH,
    Instant.ofEpochSecond(0, 999_999_999),
    StoreLimits.MAX_INSTANT.minusNanos(1),
    StoreLimits.MAX_INSTANT
  };

  /** Local parts of {@code blocks} two-character blocks, all of one hash code. */
  private static List<EmailAddress> colliding(int blocks, String domain) {
    List<EmailAddress> out = new ArrayList<>();
    for (int bits = 0; bits < 1 << blocks; bits++) {
      StringBuilder local = new StringBuilder();
      for (int b = 0; b < blocks; b++) {
        local.append((bits >> b & 1) == 0 ? "a~" : "b_");
      }
      out.add(EmailAddress.of(local + "@" + domain));
    }
    return out;
  }

  @Test
  void collidingAddressesHaveOneHashCode() {
    List<EmailAddress> all = colliding(6, "x.example");
    assertThat(all).hasSize(64);
    assertThat(all.stream().mapToInt(EmailAddress::hashCode).distinct().count()).isEqualTo(1);
  }

  @Test
  void theTableAgreesWithAMapOnCollidingAddressesAtTheExtremes() {
    // the home slot of the colliding group differs per domain: some near the table's end
    for (String domain : new String[] {"x.example", "y.example", "zz.example", "q.example"}) {
      List<EmailAddress> pool = colliding(6, domain);
      pool.add(EmailAddress.of("plain@" + domain));
      for (long seed = 1; seed <= 10; seed++) {
        SplittableRandom random = new SplittableRandom(seed);
        RecipientTable table = new RecipientTable();
        Map<EmailAddress, RecipientActivity> model = new HashMap<>();
        int population = 3 + random.nextInt(pool.size() - 3);
        for (int op = 0; op < 3_000; op++) {
          EmailAddress a = pool.get(random.nextInt(population));
          int what = random.nextInt(10);
          if (what < 5) {
            boolean engaged = random.nextBoolean();
            Instant at = instant(random);
            table.touch(a, engaged, at);
            model.merge(
                a,
                new RecipientActivity(at, engaged ? Optional.of(at) : Optional.empty()),
                RgovCollidingRecipientsTest::merge);
          } else if (what < 7) {
            assertThat(table.remove(a)).isEqualTo(model.remove(a) != null);
          } else {
            Instant at = instant(random);
            Duration period = Duration.ofNanos(1 + random.nextLong(1_000_000_000L));
            if (random.nextBoolean()) {
              period = Duration.ofDays(1 + random.nextInt(60_000));
            }
            RecipientActivity r = model.get(a);
            Instant since = at.minus(period);
            boolean expected = r != null && r.inactiveAt(at, period);
            assertThat(table.inactiveAt(a, at, period))
                .as("%s at %s since %s of %s", a, at, since, r)
                .isEqualTo(expected);
          }
          assertThat(table.size()).isEqualTo(model.size());
        }
        for (EmailAddress a : pool) {
          assertThat(table.get(a)).as("%s seed %d", a, seed).isEqualTo(model.get(a));
        }
      }
    }
  }

  private static Instant instant(SplittableRandom random) {
    Instant edge = EDGES[random.nextInt(EDGES.length)];
    if (random.nextBoolean()) {
      return edge;
    }
    Instant near = edge.plusNanos(random.nextInt(5) - 2);
    return near.isBefore(StoreLimits.MIN_INSTANT) || near.isAfter(StoreLimits.MAX_INSTANT)
        ? edge
        : near;
  }

  private static RecipientActivity merge(RecipientActivity old, RecipientActivity t) {
    Instant first = t.firstSent().isBefore(old.firstSent()) ? t.firstSent() : old.firstSent();
    Optional<Instant> engaged = old.lastEngaged();
    if (t.lastEngaged().isPresent()
        && (engaged.isEmpty() || t.lastEngaged().get().isAfter(engaged.get()))) {
      engaged = t.lastEngaged();
    }
    return new RecipientActivity(first, engaged);
  }
}
