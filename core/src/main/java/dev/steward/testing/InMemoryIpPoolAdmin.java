package dev.steward.testing;

import dev.steward.ippool.IpAddress;
import dev.steward.ippool.IpInfo;
import dev.steward.ippool.IpPoolAdmin;
import dev.steward.ippool.PoolInfo;
import dev.steward.ippool.PoolName;
import dev.steward.ippool.Stream;
import dev.steward.model.TenantId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A fake {@link IpPoolAdmin} in memory, for tests: pools, the account's IPs (register them with
 * {@link #registerIp}), tenants' pools, every changing call recorded ({@link #calls()}), and a
 * failure on demand ({@link #failOnCall}) to test that applying a plan resumes. Idempotent like the
 * real one. Thread-safe (synchronised).
 */
public final class InMemoryIpPoolAdmin implements IpPoolAdmin {
  private final Map<PoolName, Set<IpAddress>> pools = new TreeMap<>();
  private final Map<IpAddress, IpInfo> ips = new HashMap<>();
  private final Map<TenantId, Map<Stream, PoolName>> tenants = new HashMap<>();
  private final List<String> calls = new ArrayList<>();
  private int changingCalls;
  private int failOn = -1;

  private final Clock clock;

  private InMemoryIpPoolAdmin(Clock clock) {
    this.clock = clock;
  }

  /** An account with no pools and no IPs; warm-ups start at {@code clock}'s time. */
  public static InMemoryIpPoolAdmin of(Clock clock) {
    return new InMemoryIpPoolAdmin(java.util.Objects.requireNonNull(clock, "clock"));
  }

  /** Makes an IP known to the account (replacing what was known of it). */
  public synchronized InMemoryIpPoolAdmin registerIp(IpInfo ip) {
    ips.put(ip.ip(), ip);
    return this;
  }

  /** Makes an IP with validated reverse DNS {@code rdns} known to the account. */
  public synchronized InMemoryIpPoolAdmin registerReadyIp(String ip, String rdns) {
    IpAddress a = IpAddress.of(ip);
    return registerIp(new IpInfo(a, Optional.of(rdns), true, Optional.empty(), Optional.empty()));
  }

  /**
   * The {@code n}-th changing call from now on (1 is the next) throws an {@link
   * IllegalStateException} instead of changing anything; once.
   */
  public synchronized InMemoryIpPoolAdmin failOnCall(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, was " + n);
    }
    this.failOn = changingCalls + n;
    return this;
  }

  /** Every changing call made, successful or not, as {@code method(args)}. */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** Where the tenant's streams may send from. */
  public synchronized Map<Stream, PoolName> tenantPools(TenantId tenant) {
    return Map.copyOf(tenants.getOrDefault(tenant, Map.of()));
  }

  private void changing(String call) {
    calls.add(call);
    changingCalls++;
    if (changingCalls == failOn) {
      failOn = -1;
      throw new IllegalStateException("injected provider failure on " + call);
    }
  }

  @Override
  public synchronized List<PoolInfo> pools() {
    List<PoolInfo> out = new ArrayList<>();
    pools.forEach((name, set) -> out.add(new PoolInfo(name, List.copyOf(set))));
    return out;
  }

  @Override
  public synchronized void createPool(PoolName name) {
    changing("createPool(" + name + ")");
    pools.putIfAbsent(name, new LinkedHashSet<>());
  }

  @Override
  public synchronized Optional<IpInfo> ip(IpAddress ip) {
    return Optional.ofNullable(ips.get(ip));
  }

  @Override
  public synchronized void addIp(PoolName pool, IpAddress ip) {
    changing("addIp(" + pool + ", " + ip + ")");
    Set<IpAddress> set = pools.get(pool);
    if (set == null) {
      throw new IllegalStateException("no pool " + pool);
    }
    if (!ips.containsKey(ip)) {
      throw new IllegalStateException("no IP " + ip + " in the account");
    }
    set.add(ip);
  }

  @Override
  public synchronized void removeIp(PoolName pool, IpAddress ip) {
    changing("removeIp(" + pool + ", " + ip + ")");
    Set<IpAddress> set = pools.get(pool);
    if (set != null) {
      set.remove(ip);
    }
  }

  @Override
  public synchronized void startWarmup(IpAddress ip) {
    changing("startWarmup(" + ip + ")");
    IpInfo info = ips.get(ip);
    if (info == null) {
      throw new IllegalStateException("no IP " + ip + " in the account");
    }
    if (info.warmupStartedAt().isEmpty()
        || info.lastSentAt().map(l -> info.warmupStartedAt().get().isBefore(l)).orElse(false)) {
      ips.put(
          ip,
          new IpInfo(
              ip,
              info.rdns(),
              info.rdnsValidated(),
              Optional.of(clock.instant()),
              info.lastSentAt()));
    }
  }

  @Override
  public synchronized void assignTenant(TenantId tenant, Stream stream, PoolName pool) {
    changing("assignTenant(" + tenant + ", " + stream + ", " + pool + ")");
    if (!pools.containsKey(pool)) {
      throw new IllegalStateException("no pool " + pool);
    }
    tenants.computeIfAbsent(tenant, t -> new EnumMap<>(Stream.class)).put(stream, pool);
  }
}
