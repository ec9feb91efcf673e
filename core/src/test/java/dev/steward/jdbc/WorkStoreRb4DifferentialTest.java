package dev.steward.jdbc;

import static dev.steward.jdbc.Rb4Differential.pick;

import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import dev.steward.schedule.ClaimRequest;
import dev.steward.schedule.ClaimedWork;
import dev.steward.schedule.Completion;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.Lease;
import dev.steward.schedule.Recurring;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkState;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile review (rb4): the rewritten in-memory work store (per-tenant heaps, claims straight off
 * them, keys rebuilt without checks, READY again in place) and the JDBC one on H2 answer every call
 * of the same random sequence alike: schedules, claims by several owners over tenants that include
 * the system tenant, renewals, the four completions, releases, conditional replaces, cancels,
 * erasures, dead items retried, and leases that lapse (a lease of a millisecond, waited out on the
 * database's clock while the in-memory store's settable clock moves past it).
 */
class WorkStoreRb4DifferentialTest {
  private static final TestDatabase H2 = TestDatabase.h2(WorkStoreRb4DifferentialTest.class);
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00.5Z");
  // "Aa" and "BB" have one hash code: tenants, ids and subjects that collide in the hash tables
  private static final String[] TENANTS = {"Aa", "BB", Recurring.SYSTEM_TENANT.value()};
  private static final String[] KINDS = {"k.a", "k.b"};
  private static final String LONG_ID = "x".repeat(WorkKey.MAX_ID);
  private static final String UUID_ID = "123e4567-e89b-42d3-a456-426614174000";
  // rb5: texts PostgreSQL's array parameters (the renewal's unnest) must quote or escape
  private static final String ODD_ID = "{NULL, \"a\\b\"} \uD83D\uDE00";
  private static final String[] IDS = {"Aa", "BB", "i2", "i3", UUID_ID, LONG_ID, ODD_ID};
  private static final String[] SUBJECTS = {"", "Aa", "BB"};
  private static final String[] PAYLOADS = {
    "{}", "{\"seq\":2}", "{\"p\":\"" + "y".repeat(40) + "\"}"
  };
  private static final Duration HELD = Duration.ofHours(1);

  static Stream<Arguments> databases() {
    return Rb4Differential.seedsOnH2AndPostgres(H2);
  }

  @ParameterizedTest(name = "{0} seed {2}")
  @MethodSource("databases")
  void bothStoresAnswerEveryCallOfARandomSequenceAlike(String name, TestDatabase db, long seed) {
    SettableClock leaseClock = SettableClock.of(T0);
    WorkStore model = InMemoryWorkStore.of(leaseClock);
    List<Lease> modelLeases = new ArrayList<>();
    List<Lease> jdbcLeases = new ArrayList<>();
    Rb4Differential.run(
        db,
        seed,
        model,
        () -> JdbcWorkStore.of(db.dataSource()),
        300,
        (both, r, step) -> {
          Instant now = T0.plusSeconds(step);
          switch (r.nextInt(16)) {
            case 0, 1, 2 -> {
              WorkItem i = item(r, now);
              IfExists how = r.nextBoolean() ? IfExists.KEEP : IfExists.REPLACE;
              both.check("schedule " + i + " " + how, s -> s.schedule(i, how));
            }
            case 3 -> {
              List<WorkItem> batch = List.of(item(r, now), item(r, now));
              IfExists how = r.nextBoolean() ? IfExists.KEEP : IfExists.REPLACE;
              both.check("scheduleAll " + batch + " " + how, s -> s.scheduleAll(batch, how));
            }
            case 4 -> {
              // fewer than may be due: which items a store takes is its own fairness, how many is
              // not; given back at once, so that both hold the same items again
              ClaimRequest c = claim(r, now, HELD);
              ClaimRequest few =
                  new ClaimRequest(c.now(), 1 + r.nextInt(3), c.owner(), c.lease(), c.kinds());
              both.check(
                  "claim few and release " + few,
                  s -> {
                    List<ClaimedWork> got = s.claim(few);
                    List<String> due = new ArrayList<>();
                    for (ClaimedWork w : got) {
                      boolean wanted =
                          few.kinds().isEmpty() || few.kinds().contains(w.item().key().kind());
                      due.add(!w.item().dueAt().isAfter(few.now()) && wanted ? "due" : "not due");
                    }
                    return List.of(due, s.release(got.stream().map(ClaimedWork::lease).toList()));
                  });
            }
            case 5, 6 -> {
              ClaimRequest c = claim(r, now, HELD);
              both.check(
                  "claim " + c, s -> claimed(s.claim(c), s == model ? modelLeases : jdbcLeases));
            }
            case 7 -> {
              // a lease that lapses at once: the database's clock passes it in real time, the
              // in-memory store's clock is moved past it
              ClaimRequest c = claim(r, now, Duration.ofMillis(1));
              both.check(
                  "claim lapsing " + c,
                  s -> claimed(s.claim(c), s == model ? modelLeases : jdbcLeases));
              TestDatabase.passRealTime(Duration.ofMillis(5));
              leaseClock.advance(Duration.ofSeconds(1));
            }
            case 8 -> {
              int[] which = someLeases(r, modelLeases.size());
              if (which.length > 0 && r.nextInt(4) == 0) {
                which = new int[] {which[0], which[0]}; // rb5: one lease named twice
              }
              int[] named = which;
              both.check(
                  "renew " + java.util.Arrays.toString(named),
                  s -> owners(s.renew(leases(s == model ? modelLeases : jdbcLeases, named), HELD)));
            }
            case 9, 10 -> {
              int[] which = someLeases(r, modelLeases.size());
              int type = r.nextInt(4);
              // rb5: now and then one completion of each of two types, locked in key order first
              int next = r.nextInt(3) == 0 ? 1 : 0;
              Instant due = now.plusSeconds(r.nextInt(20) - 5);
              String payload = pick(r, PAYLOADS);
              both.check(
                  "complete "
                      + type
                      + "+"
                      + next
                      + " "
                      + java.util.Arrays.toString(which)
                      + " "
                      + due,
                  s -> {
                    List<Completion> cs = new ArrayList<>();
                    for (Lease l : leases(s == model ? modelLeases : jdbcLeases, which)) {
                      cs.add(completion((type + next * cs.size()) % 4, l, due, payload));
                    }
                    return s.complete(cs).stream().map(c -> describe(c)).sorted().toList();
                  });
            }
            case 11 -> {
              int[] which = someLeases(r, modelLeases.size());
              both.check(
                  "release " + java.util.Arrays.toString(which),
                  s -> s.release(leases(s == model ? modelLeases : jdbcLeases, which)));
            }
            case 12 -> {
              WorkKey k = key(r);
              both.check("find " + k, s -> s.find(k));
              String subject = pick(r, SUBJECTS);
              TenantId t = k.tenant();
              both.check(
                  "findBySubject " + t + " " + subject + " " + k.kind(),
                  s -> byDue(s.findBySubject(t, subject, k.kind())));
              both.check("dead", s -> byDue(s.dead(64)));
              both.check("counts", s -> List.of(s.count(WorkState.READY), s.count(WorkState.DEAD)));
            }
            case 13 -> {
              // the item as read, sometimes changed, as the expected state of a conditional replace
              WorkKey k = key(r);
              WorkItem seen = model.find(k).orElse(null);
              WorkItem write = item(r, now);
              List<WorkItem> expected =
                  seen == null ? List.of() : List.of(r.nextInt(4) == 0 ? changed(seen) : seen);
              both.check(
                  "replaceIfUnchanged " + expected + " -> " + write,
                  s -> s.replaceIfUnchanged(expected, List.of(write)));
            }
            case 14 -> {
              WorkKey k = key(r);
              Instant at =
                  switch (r.nextInt(8)) {
                    case 0 -> Instant.MAX; // beyond the storable range: refused alike
                    case 1 -> StoreLimits.MAX_INSTANT;
                    default -> now.plusSeconds(r.nextInt(10));
                  };
              both.check("retryDead " + k + " " + at, s -> s.retryDead(k, at));
            }
            default -> {
              WorkKey k = key(r);
              switch (r.nextInt(4)) {
                case 0 -> both.check("cancelTenant " + k.tenant(), s -> s.cancelTenant(k.tenant()));
                case 1 -> {
                  String subject = pick(r, SUBJECTS);
                  both.check(
                      "cancelSubject " + k.tenant() + " " + subject,
                      s -> s.cancelSubject(k.tenant(), subject));
                }
                default -> both.check("cancel " + k, s -> s.cancel(k));
              }
            }
          }
        });
  }

  private static WorkItem item(Random r, Instant now) {
    Instant due =
        switch (r.nextInt(12)) {
          case 0 -> StoreLimits.MIN_INSTANT;
          case 1 -> StoreLimits.MAX_INSTANT;
          default -> now.plusSeconds(r.nextInt(30) - 10).plusNanos(r.nextInt(3));
        };
    return WorkItem.builder(key(r))
        .subject(pick(r, SUBJECTS))
        .payload(pick(r, PAYLOADS))
        .payloadVersion(1 + r.nextInt(2))
        .priority(r.nextInt(3) == 0 ? 5 : 0)
        .dueAt(due)
        .build();
  }

  private static WorkKey key(Random r) {
    return WorkKey.of(TenantId.of(pick(r, TENANTS)), pick(r, KINDS), pick(r, IDS));
  }

  private static ClaimRequest claim(Random r, Instant now, Duration lease) {
    Set<String> kinds = r.nextInt(3) == 0 ? Set.of("k.a") : Set.of();
    // every due item wanted: which of more due items than asked for a store takes is its own
    // fairness, not the contract's
    return new ClaimRequest(now, 64, pick(r, "o1", "o2", "o3"), lease, kinds);
  }

  /**
   * What was claimed, without the leases' random tokens and in the order of their keys (the stores
   * interleave tenants in their own orders); the leases kept in that order for later calls.
   */
  private static Object claimed(List<ClaimedWork> claimed, List<Lease> kept) {
    List<ClaimedWork> sorted = new ArrayList<>(claimed);
    sorted.sort(java.util.Comparator.comparing(c -> c.lease().key().toString()));
    List<String> out = new ArrayList<>();
    for (ClaimedWork c : sorted) {
      kept.add(c.lease());
      out.add(c.item() + " to " + c.lease().owner() + " as " + c.lease().key());
    }
    return out;
  }

  private static int[] someLeases(Random r, int held) {
    if (held == 0) {
      return new int[0];
    }
    int[] which = new int[1 + r.nextInt(2)];
    for (int i = 0; i < which.length; i++) {
      // mostly the latest leases, which are likelier still held
      which[i] = Math.max(0, held - 1 - r.nextInt(Math.min(held, 6)));
    }
    return which[0] == (which.length > 1 ? which[1] : -1) ? new int[] {which[0]} : which;
  }

  private static List<Lease> leases(List<Lease> kept, int[] which) {
    List<Lease> out = new ArrayList<>();
    for (int i : which) {
      out.add(kept.get(i));
    }
    return out;
  }

  private static Object owners(List<Lease> leases) {
    // in the order of their keys: which order a store answers in is not the contract's
    return leases.stream().map(l -> l.key() + " " + l.owner()).sorted().toList();
  }

  private static Completion completion(int type, Lease l, Instant due, String payload) {
    return switch (type) {
      case 0 -> new Completion.Done(l);
      case 1 -> new Completion.Reschedule(l, due, payload);
      case 2 -> new Completion.Retry(l, due, "boom");
      default -> new Completion.Dead(l, "dead");
    };
  }

  private static String describe(Completion c) {
    return c.getClass().getSimpleName() + " " + c.lease().key() + " " + c.lease().owner();
  }

  /**
   * Items earliest due first, as both stores answer, and among equal due times by key: the stores
   * break such ties each in its own way (seq or id), which the contract leaves open.
   */
  private static List<WorkItem> byDue(List<WorkItem> items) {
    List<WorkItem> out = new ArrayList<>(items);
    out.sort(
        java.util.Comparator.comparing(WorkItem::dueAt).thenComparing(i -> i.key().toString()));
    return out;
  }

  private static WorkItem changed(WorkItem i) {
    return WorkItem.builder(i.key())
        .subject(i.subject())
        .payload(i.payload())
        .payloadVersion(i.payloadVersion())
        .priority(i.priority() + 1)
        .dueAt(i.dueAt())
        .build();
  }
}
