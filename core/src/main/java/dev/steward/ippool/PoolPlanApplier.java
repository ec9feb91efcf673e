package dev.steward.ippool;

import dev.steward.ippool.ApplyResult.MoveOutcome;
import dev.steward.ippool.ApplyResult.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link PoolPlan} through the {@link IpPoolAdmin} and records each move in the {@link
 * PoolAssignmentStore}, idempotently and resumably. For each move, in order: skip it if the
 * stream's recorded version shows it applied (or superseded), or mark it stale if the plan was made
 * at or before the tenant's erasure ({@link
 * PoolAssignmentStore#erasedAt(dev.steward.model.TenantId, Instant)}); make sure the target pool
 * exists; refuse a pool with no IP whose reverse DNS is validated (mail would have nowhere to leave
 * from); let the tenant use the pool; then record the change, a compare-and-set on the version.
 *
 * <p>A crash or a provider failure between two calls leaves some moves recorded and the rest not;
 * running the same plan again skips the recorded ones and repeats the idempotent provider calls of
 * the others, so it completes the plan without doing anything twice. Two instances applying one
 * plan at once both call the provider (idempotently) and exactly one records each move.
 * Thread-safe.
 */
public final class PoolPlanApplier {
  private static final Logger log = LoggerFactory.getLogger(PoolPlanApplier.class);

  private final IpPoolAdmin admin;
  private final PoolAssignmentStore store;
  private final Clock clock;
  private final boolean requireReadyIp;
  private final List<PoolChangeListener> listeners;

  private PoolPlanApplier(Builder b) {
    this.admin = b.admin;
    this.store = b.store;
    this.clock = b.clock;
    this.requireReadyIp = b.requireReadyIp;
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
  }

  /** The clock the applier tells time by (the pool assignment job's first due time). */
  Clock clock() {
    return clock;
  }

  /** A builder over the provider and the store; time from {@code clock}. */
  public static Builder builder(IpPoolAdmin admin, PoolAssignmentStore store, Clock clock) {
    return new Builder(admin, store, clock);
  }

  /** Applies the plan; see the class comment. Never throws for a provider failure. */
  public ApplyResult apply(PoolPlan plan) {
    InvalidIpPoolException.requireNonNull(plan, "plan");
    List<MoveOutcome> out = new ArrayList<>();
    Map<PoolName, Optional<String>> poolProblems = new HashMap<>();
    boolean stopped = false;
    for (PoolMove m : plan.moves()) {
      if (stopped) {
        out.add(new MoveOutcome(m, Status.NOT_RUN, Optional.empty()));
        continue;
      }
      Optional<Instant> erased = store.erasedAt(m.tenant(), clock.instant());
      if (erased.isPresent() && !plan.plannedAt().isAfter(erased.get())) {
        // planned before the tenant was erased: nothing of it is written again
        out.add(new MoveOutcome(m, Status.STALE, Optional.empty()));
        continue;
      }
      Optional<Status> done = recorded(m);
      if (done.isPresent()) {
        out.add(new MoveOutcome(m, done.get(), Optional.empty()));
        continue;
      }
      try {
        Optional<String> problem = poolProblems.get(m.to());
        if (problem == null) {
          problem = ensurePool(m.to());
          poolProblems.put(m.to(), problem);
        }
        if (problem.isPresent()) {
          log.warn("pool move of tenant {} blocked: {}", m.tenant(), problem.get());
          out.add(new MoveOutcome(m, Status.BLOCKED, problem));
          continue;
        }
        admin.assignTenant(m.tenant(), m.stream(), m.to());
      } catch (RuntimeException e) {
        log.warn(
            "the provider failed moving tenant {} {} to pool {}; stopping: run the plan again",
            m.tenant(),
            m.stream(),
            m.to(),
            e);
        out.add(new MoveOutcome(m, Status.FAILED, Optional.of(String.valueOf(e.getMessage()))));
        stopped = true;
        continue;
      }
      Instant now = clock.instant();
      PoolChange change = PoolChange.of(m, plan.id(), now);
      if (store.apply(change)) {
        log.info("tenant {} {}: {}", m.tenant(), m.stream(), m);
        out.add(new MoveOutcome(m, Status.APPLIED, Optional.empty()));
        for (PoolChangeListener l : listeners) {
          try {
            l.onChange(change);
          } catch (RuntimeException e) {
            log.warn("pool change listener failed for tenant {}; ignored", m.tenant(), e);
          }
        }
      } else {
        out.add(new MoveOutcome(m, recorded(m).orElse(Status.STALE), Optional.empty()));
      }
    }
    return new ApplyResult(plan.id(), out);
  }

  /** The outcome of a move the store shows as applied or superseded; empty if it is still due. */
  private Optional<Status> recorded(PoolMove m) {
    Optional<PoolAssignment> cur = store.find(m.tenant(), m.stream());
    long version = cur.map(PoolAssignment::version).orElse(0L);
    if (version == m.fromVersion()) {
      return Optional.empty();
    }
    if (version == m.toVersion() && cur.get().pool().equals(m.to())) {
      return Optional.of(Status.ALREADY_APPLIED);
    }
    return Optional.of(Status.STALE);
  }

  /** Creates the pool if missing; a problem if it has no IP ready to send from. */
  private Optional<String> ensurePool(PoolName pool) {
    Optional<PoolInfo> info = admin.pool(pool);
    if (info.isEmpty()) {
      admin.createPool(pool);
      info = admin.pool(pool);
    }
    if (!requireReadyIp) {
      return Optional.empty();
    }
    for (IpAddress ip : info.map(PoolInfo::ips).orElse(List.of())) {
      if (admin.ip(ip).map(IpInfo::rdnsValidated).orElse(false)) {
        return Optional.empty();
      }
    }
    return Optional.of(
        "pool '" + pool + "' has no IP address with validated reverse DNS to send from");
  }

  /**
   * Adds {@code ip} to {@code pool} (creating the pool if needed), once its reverse DNS is
   * validated.
   *
   * @throws IpNotReadyException if the provider does not know the IP or its rDNS is not validated
   */
  public void addIp(PoolName pool, IpAddress ip) {
    InvalidIpPoolException.requireNonNull(pool, "pool");
    InvalidIpPoolException.requireNonNull(ip, "ip");
    IpInfo info =
        admin
            .ip(ip)
            .orElseThrow(
                () ->
                    new IpNotReadyException(
                        "IP " + ip + " is not an address of the account; it cannot join " + pool));
    if (!info.rdnsValidated()) {
      throw new IpNotReadyException(
          "IP "
              + ip
              + " cannot join pool '"
              + pool
              + "': its reverse DNS "
              + info.rdns().map(r -> "(" + r + ") ").orElse("")
              + "is not validated");
    }
    if (admin.pool(pool).isEmpty()) {
      admin.createPool(pool);
    }
    admin.addIp(pool, ip);
  }

  /**
   * Starts a warm-up for every IP of every pool that {@code warmup} finds cold (never used, or idle
   * for its re-warm period, 30 days by default), so that it does not take a warm IP's volume at
   * once; the IPs started, in pool order. Idempotent: an IP warming up already is not cold.
   */
  public List<IpAddress> rewarmColdIps(IpWarmup warmup) {
    InvalidIpPoolException.requireNonNull(warmup, "warmup");
    Instant now = clock.instant();
    List<IpAddress> started = new ArrayList<>();
    for (PoolInfo pool : admin.pools()) {
      for (IpAddress ip : pool.ips()) {
        Optional<IpInfo> info = admin.ip(ip);
        if (info.isPresent() && !started.contains(ip) && warmup.needsWarmup(info.get(), now)) {
          admin.startWarmup(ip);
          started.add(ip);
          log.info("IP {} of pool {} is cold: its warm-up starts again", ip, pool.name());
        }
      }
    }
    return started;
  }

  /** Builds a {@link PoolPlanApplier}. */
  public static final class Builder {
    private final IpPoolAdmin admin;
    private final PoolAssignmentStore store;
    private final Clock clock;
    private boolean requireReadyIp = true;
    private final List<PoolChangeListener> listeners = new ArrayList<>();

    private Builder(IpPoolAdmin admin, PoolAssignmentStore store, Clock clock) {
      this.admin = InvalidIpPoolException.requireNonNull(admin, "admin");
      this.store = InvalidIpPoolException.requireNonNull(store, "store");
      this.clock = InvalidIpPoolException.requireNonNull(clock, "clock");
    }

    /**
     * Whether a move into a pool without an IP whose reverse DNS is validated is refused (default
     * true: mail sent to such a pool would fail at the provider).
     */
    public Builder requireReadyIp(boolean require) {
      this.requireReadyIp = require;
      return this;
    }

    /** Observes applied changes. */
    public Builder listener(PoolChangeListener listener) {
      listeners.add(InvalidIpPoolException.requireNonNull(listener, "listener"));
      return this;
    }

    /** The applier. */
    public PoolPlanApplier build() {
      return new PoolPlanApplier(this);
    }
  }
}
