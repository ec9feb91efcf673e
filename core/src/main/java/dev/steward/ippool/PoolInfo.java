package dev.steward.ippool;

import java.util.List;

/** A pool as the provider lists it: its name and IP addresses. */
public record PoolInfo(PoolName name, List<IpAddress> ips) {
  public PoolInfo {
    InvalidIpPoolException.requireNonNull(name, "pool name");
    ips = List.copyOf(InvalidIpPoolException.requireNonNull(ips, "pool ips"));
  }
}
