package dev.steward.ippool;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A literal IPv4 or IPv6 address, in canonical form: IPv4 as four decimal octets without leading
 * zeros ({@code 192.0.2.10}), IPv6 as Java prints it ({@code 2001:db8:0:0:0:0:0:1}) so one address
 * has one text. Host names, zone ids ({@code %eth0}), brackets, CIDR suffixes and the legacy forms
 * {@code InetAddress} would also read ({@code 10.1}, octal {@code 010.0.0.1}, also inside an
 * IPv4-mapped IPv6 text, and IPv6 groups of more than four digits) are refused: no text given here
 * ever causes a DNS lookup.
 */
public record IpAddress(String value) implements Comparable<IpAddress> {

  public IpAddress {
    if (value == null) {
      throw new InvalidIpAddressException("IP address must not be null");
    }
    value = canonical(value);
  }

  /** Parses {@code text}; names what is wrong with it. */
  public static IpAddress of(String text) {
    return new IpAddress(text);
  }

  /** True for an IPv6 address. */
  public boolean isV6() {
    return value.indexOf(':') >= 0;
  }

  private static String canonical(String text) {
    if (text.isEmpty()) {
      throw new InvalidIpAddressException("IP address must not be empty");
    }
    if (text.indexOf(':') >= 0) {
      return v6(text);
    }
    return v4(text);
  }

  private static String v4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new InvalidIpAddressException(
          "'" + text + "' is not an IPv4 address: it needs four dot-separated octets");
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new InvalidIpAddressException(
            "'"
                + text
                + "' is not an IPv4 address: octet "
                + (i + 1)
                + " '"
                + p
                + "' is not 0-255");
      }
      if (p.length() > 1 && p.charAt(0) == '0') {
        throw new InvalidIpAddressException(
            "'"
                + text
                + "' is not an IPv4 address: octet "
                + (i + 1)
                + " '"
                + p
                + "' has a leading zero (read as octal by some parsers)");
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        throw new InvalidIpAddressException(
            "'" + text + "' is not an IPv4 address: octet " + (i + 1) + " is " + v + " (> 255)");
      }
      out.append(i == 0 ? "" : ".").append(v);
    }
    return out.toString();
  }

  private static String v6(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = Character.toLowerCase(text.charAt(i));
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.';
      if (!ok) {
        throw new InvalidIpAddressException(
            "'"
                + text
                + "' is not an IPv6 address: the character '"
                + text.charAt(i)
                + "' at index "
                + i
                + " (zone ids, brackets and prefixes are refused)");
      }
    }
    String[] groups = text.split(":", -1);
    for (int g = 0; g < groups.length; g++) {
      String group = groups[g];
      if (group.indexOf('.') >= 0) {
        if (g != groups.length - 1) {
          throw new InvalidIpAddressException(
              "'" + text + "' is not an IPv6 address: a dotted quad may only end it");
        }
        try {
          v4(group); // the embedded IPv4 address gets the IPv4 rules: no leading zeros
        } catch (InvalidIpAddressException e) {
          throw new InvalidIpAddressException(
              "'" + text + "' is not an IPv6 address: its embedded " + e.getMessage());
        }
      } else if (group.length() > 4) {
        throw new InvalidIpAddressException(
            "'"
                + text
                + "' is not an IPv6 address: group "
                + (g + 1)
                + " '"
                + group
                + "' has more than four hex digits");
      }
    }
    try {
      // a text with ':' is parsed as a literal, never looked up in DNS
      InetAddress a = InetAddress.getByName(text);
      if (!(a instanceof Inet6Address)) {
        // an IPv4-mapped address (::ffff:192.0.2.1) comes back as IPv4; keep it IPv4
        return a.getHostAddress();
      }
      return a.getHostAddress().toLowerCase(Locale.ROOT);
    } catch (UnknownHostException | IllegalArgumentException e) {
      throw new InvalidIpAddressException("'" + text + "' is not an IPv6 address");
    }
  }

  @Override
  public int compareTo(IpAddress other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
