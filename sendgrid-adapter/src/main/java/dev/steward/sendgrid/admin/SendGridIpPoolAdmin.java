package dev.steward.sendgrid.admin;

import dev.steward.ippool.InvalidIpPoolException;
import dev.steward.ippool.InvalidPoolNameException;
import dev.steward.ippool.IpAddress;
import dev.steward.ippool.IpInfo;
import dev.steward.ippool.IpNotReadyException;
import dev.steward.ippool.IpPoolAdmin;
import dev.steward.ippool.PoolInfo;
import dev.steward.ippool.PoolName;
import dev.steward.ippool.Stream;
import dev.steward.model.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's {@link IpPoolAdmin} on SendGrid's IP pools ({@link IpPools}) with the parent key, every
 * change idempotent as the SPI requires, so that a {@code PoolPlanApplier} cut short can simply run
 * again:
 *
 * <ul>
 *   <li>Each change looks first and does nothing when SendGrid is already as asked (the pool
 *       exists, the IP is in the pool or out of it, the IP is warming up, the subuser has the
 *       pool's IPs). Looking first also makes a create that failed ambiguously (SendGrid may have
 *       made the pool) safe to call again: the create itself is never resent blindly.
 *   <li>SendGrid's refusal of a change that is in effect (a 400 such as "already exists", a 404 on
 *       a removal) is success once a second look shows the change in effect; otherwise it is
 *       thrown.
 *   <li>{@link #assignTenant} lets the tenant's subuser ({@link TenantSubusers}) send from every IP
 *       of the pool: it reads the IPs the subuser has ({@code GET /v3/ips}, each IP with its
 *       subusers) and, if any of the pool's are missing, sets the union ({@code PUT
 *       /v3/subusers/{name}/ips}). It never takes an IP away, since the subuser's other stream may
 *       send from it; which pool a message leaves from is its {@code ip_pool_name}. The stream
 *       makes no difference at SendGrid.
 * </ul>
 *
 * A pool name or IP SendGrid would refuse, or a tenant without a subuser, is refused with an {@link
 * InvalidIpPoolException} subclass before any request; SendGrid's failures are {@link
 * SendGridApiException}s. Two processes assigning IPs to one subuser at once may each write the
 * list it read (SendGrid's API offers no compare-and-set); the applier assigns one move at a time.
 */
public final class SendGridIpPoolAdmin implements IpPoolAdmin {
  private static final Logger log = LoggerFactory.getLogger(SendGridIpPoolAdmin.class);
  private static final int PAGE = 100;

  private final IpPools api;
  private final ReverseDnsRecords rdns;
  private final TenantSubusers subusers;

  private SendGridIpPoolAdmin(IpPools api, ReverseDnsRecords rdns, TenantSubusers subusers) {
    this.api = api;
    this.rdns = rdns;
    this.subusers = subusers;
  }

  /** Over {@code admin}'s IP pools, for the tenants' subusers in {@code subusers}. */
  public static SendGridIpPoolAdmin of(SendGridAdmin admin, TenantSubusers subusers) {
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(subusers, "subusers");
    return new SendGridIpPoolAdmin(admin.ipPools(), admin.reverseDns(), subusers);
  }

  /**
   * Every pool with its IPs: the names, then each pool. A name core cannot hold (shorter than
   * SendGrid's Mail Send takes) is left out with a warning; a pool deleted between the two reads is
   * left out.
   */
  @Override
  public List<PoolInfo> pools() {
    List<PoolInfo> out = new ArrayList<>();
    for (String name : api.poolNames()) {
      PoolName pool;
      try {
        pool = IpPools.check(PoolName.of(name));
      } catch (InvalidPoolNameException e) {
        log.warn("SendGrid IP pool left out: {}", e.getMessage());
        continue;
      }
      api.pool(pool).ifPresent(out::add);
    }
    return out;
  }

  @Override
  public Optional<PoolInfo> pool(PoolName name) {
    return api.pool(IpPools.check(name));
  }

  @Override
  public void createPool(PoolName name) {
    IpPools.check(name);
    if (api.pool(name).isPresent()) {
      return;
    }
    try {
      api.createPool(name);
    } catch (SendGridApiException e) {
      if (e.kind() == ApiFailureKind.BAD_REQUEST && api.pool(name).isPresent()) {
        log.debug("SendGrid IP pool {} exists already", name);
        return;
      }
      throw e;
    }
  }

  @Override
  public Optional<IpInfo> ip(IpAddress ip) {
    return api.ip(IpPools.check(ip)).map(SendGridIp::toIpInfo);
  }

  /**
   * The IP's details as SendGrid has them (pools, subusers, reverse DNS host and verdict, warm-up);
   * empty when the account has no such IP.
   */
  public Optional<SendGridIp> details(IpAddress ip) {
    return api.ip(IpPools.check(ip));
  }

  /**
   * Adds the IP once SendGrid holds its reverse DNS as valid (core's rule: rDNS before a pool); an
   * IP in the pool already is left as it is.
   *
   * @throws InvalidIpPoolException if SendGrid has no such pool
   * @throws IpNotReadyException if the account has no such IP, or SendGrid does not hold its
   *     reverse DNS as valid (set it up with {@link #setUpReverseDns}, publish the A record, {@link
   *     #validateReverseDns}); nothing is changed
   */
  @Override
  public void addIp(PoolName pool, IpAddress ip) {
    IpPools.check(pool);
    IpPools.check(ip);
    if (holds(pool, ip)) {
      return;
    }
    SendGridIp known =
        api.ip(ip)
            .orElseThrow(
                () ->
                    new IpNotReadyException(
                        "IP " + ip + " is not an address of the account; it cannot join " + pool));
    if (!known.toIpInfo().rdnsValidated()) {
      throw new IpNotReadyException(
          "IP "
              + ip
              + " cannot join pool '"
              + pool
              + "': SendGrid holds its reverse DNS "
              + known.rdns().map(r -> "(" + r + ") ").orElse("")
              + "as not valid; set it up, publish its A record and validate it");
    }
    try {
      api.addIp(pool, ip);
    } catch (SendGridApiException e) {
      if (e.kind() == ApiFailureKind.BAD_REQUEST && holdsIfExists(pool, ip)) {
        log.debug("SendGrid IP pool {} holds IP {} already", pool, ip);
        return;
      }
      throw e;
    }
  }

  /**
   * The IP's reverse DNS: SendGrid's existing set-up when there is one under {@code domain}, else a
   * new one under it; the A record in it is what to publish. Looking first also makes a set-up that
   * failed ambiguously safe to call again. The domains are compared ignoring letter case and a
   * trailing dot, an internationalised one in its ASCII form.
   *
   * @param subdomain the label the IP's name is made under (best the domain authentication's)
   * @throws ReverseDnsDomainMismatchException if SendGrid already has the IP's reverse DNS under
   *     another domain; nothing is changed
   */
  public ReverseDns setUpReverseDns(IpAddress ip, String domain, Optional<String> subdomain) {
    IpPools.check(ip);
    String asked = Names.domain("domain", domain);
    Objects.requireNonNull(subdomain, "subdomain");
    Optional<ReverseDns> existing = rdns.find(ip);
    if (existing.isPresent()) {
      String held = sameForm(existing.get().domain());
      if (!held.equals(asked)) {
        throw new ReverseDnsDomainMismatchException(ip, existing.get().domain(), asked);
      }
      log.debug("SendGrid has reverse DNS {} for IP {} already", existing.get().id(), ip);
      return existing.get();
    }
    return rdns.setUp(ip, domain, subdomain);
  }

  /** SendGrid's domain in the form {@link Names#domain} gives, or as it is if it is none. */
  private static String sameForm(String domain) {
    try {
      return Names.domain("SendGrid's reverse DNS domain", domain);
    } catch (IllegalArgumentException e) {
      return domain;
    }
  }

  /** The IP's reverse DNS set-up at SendGrid, if it has one. */
  public Optional<ReverseDns> reverseDns(IpAddress ip) {
    return rdns.find(IpPools.check(ip));
  }

  /**
   * Asks SendGrid to validate the IP's reverse DNS now and returns its result; once valid, {@link
   * #addIp} takes the IP.
   *
   * @throws IpNotReadyException if the IP has no reverse DNS set up
   */
  public ReverseDnsCheck validateReverseDns(IpAddress ip) {
    IpPools.check(ip);
    ReverseDns r =
        rdns.find(ip)
            .orElseThrow(
                () ->
                    new IpNotReadyException(
                        "IP " + ip + " has no reverse DNS at SendGrid; set it up first"));
    ReverseDnsCheck check = rdns.validate(r.id());
    log.info(
        "SendGrid validated reverse DNS {} of IP {}: {}",
        r.id(),
        ip,
        check.valid() ? "valid" : "not valid");
    return check;
  }

  @Override
  public void removeIp(PoolName pool, IpAddress ip) {
    IpPools.check(pool);
    IpPools.check(ip);
    if (!holdsIfExists(pool, ip)) {
      return;
    }
    if (!api.removeIp(pool, ip)) {
      log.debug("SendGrid IP pool {} no longer held IP {}", pool, ip);
    }
  }

  @Override
  public void startWarmup(IpAddress ip) {
    IpPools.check(ip);
    if (api.warmup(ip).isPresent()) {
      return;
    }
    try {
      api.startWarmup(ip);
    } catch (SendGridApiException e) {
      if (e.kind() == ApiFailureKind.BAD_REQUEST && api.warmup(ip).isPresent()) {
        log.debug("SendGrid's warm-up of IP {} had started already", ip);
        return;
      }
      throw e;
    }
  }

  /**
   * Takes the IP out of SendGrid's automated warm-up; nothing if it is not warming up.
   *
   * @return true if it was warming up
   */
  public boolean stopWarmup(IpAddress ip) {
    IpPools.check(ip);
    if (api.warmup(ip).isEmpty()) {
      return false;
    }
    return api.stopWarmup(ip);
  }

  /**
   * @throws InvalidIpPoolException if the tenant has no subuser (before any request) or SendGrid
   *     has no such pool
   */
  @Override
  public void assignTenant(TenantId tenant, Stream stream, PoolName pool) {
    if (tenant == null || stream == null) {
      throw new InvalidIpPoolException(
          (tenant == null ? "tenant" : "stream") + " must not be null");
    }
    IpPools.check(pool);
    String subuser =
        subusers
            .subuserOf(tenant)
            .orElseThrow(
                () -> new InvalidIpPoolException("tenant " + tenant + " has no SendGrid subuser"));
    PoolInfo info = existing(pool);
    TreeSet<IpAddress> has = new TreeSet<>();
    for (int offset = 0; ; offset += PAGE) {
      List<SendGridIp> page = api.ips(PAGE, offset);
      for (SendGridIp ip : page) {
        if (ip.subusers().contains(subuser)) {
          has.add(ip.ip());
        }
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    TreeSet<IpAddress> wanted = new TreeSet<>(has);
    wanted.addAll(info.ips());
    if (wanted.equals(has)) {
      log.debug("tenant {} {} may send from pool {} already", tenant, stream, pool);
      return;
    }
    api.subuserIps(subuser, List.copyOf(wanted));
    log.info(
        "tenant {} {} may send from pool {}: {} IPs for its subuser",
        tenant,
        stream,
        pool,
        wanted.size());
  }

  private PoolInfo existing(PoolName pool) {
    return api.pool(pool)
        .orElseThrow(
            () -> new InvalidIpPoolException("SendGrid has no IP pool '" + pool + "'; create it"));
  }

  private boolean holds(PoolName pool, IpAddress ip) {
    return existing(pool).ips().contains(ip);
  }

  private boolean holdsIfExists(PoolName pool, IpAddress ip) {
    return api.pool(pool).map(p -> p.ips().contains(ip)).orElse(false);
  }

  @Override
  public String toString() {
    return "SendGridIpPoolAdmin";
  }
}
