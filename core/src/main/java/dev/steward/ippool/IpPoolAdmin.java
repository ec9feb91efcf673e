package dev.steward.ippool;

import dev.steward.model.TenantId;
import java.util.List;
import java.util.Optional;

/**
 * SPI: the provider's IP pools. The SendGrid adapter implements it over {@code /v3/ips/pools} and
 * the subuser IP endpoints; {@code dev.steward.testing.InMemoryIpPoolAdmin} is the fake for tests.
 *
 * <p>Every change is idempotent: creating a pool that exists, adding an IP a pool holds, removing
 * one it does not, and assigning a tenant where it is assigned, succeed and change nothing. That is
 * what lets a {@link PoolPlanApplier} cut short by a crash simply run again. A failure throws (any
 * {@link RuntimeException}); the applier reports it and stops.
 */
public interface IpPoolAdmin {

  /** Every pool, with its IPs. */
  List<PoolInfo> pools();

  /** One pool, if it exists. */
  default Optional<PoolInfo> pool(PoolName name) {
    InvalidIpPoolException.requireNonNull(name, "pool name");
    return pools().stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** Creates an empty pool; nothing if it exists. */
  void createPool(PoolName name);

  /** What the provider knows of an IP address of the account, if it has it. */
  Optional<IpInfo> ip(IpAddress ip);

  /** Adds an IP to a pool; nothing if the pool holds it. */
  void addIp(PoolName pool, IpAddress ip);

  /** Removes an IP from a pool; nothing if the pool does not hold it. */
  void removeIp(PoolName pool, IpAddress ip);

  /**
   * Puts an IP into the provider's automated warm-up (SendGrid: {@code POST /v3/ips/warmup}), from
   * day 0 of its schedule; nothing if it is warming up already.
   */
  void startWarmup(IpAddress ip);

  /**
   * Lets the tenant send its {@code stream} from {@code pool} (SendGrid: the subuser may use the
   * pool's IPs); nothing if it may already.
   */
  void assignTenant(TenantId tenant, Stream stream, PoolName pool);
}
