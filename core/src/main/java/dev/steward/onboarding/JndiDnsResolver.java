package dev.steward.onboarding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * A {@link DnsResolver} on the JDK's JNDI DNS provider ({@code com.sun.jndi.dns}): no dependency
 * beyond the JDK. It asks only the nameservers it was built with: there is no default, and it never
 * falls back to a public resolver. That matters for blocklists, whose operators refuse queries from
 * public resolvers (Spamhaus answers them 127.255.255.254): run your own recursive resolver, or use
 * a keyed zone ({@link DnsBlocklist#keyed}).
 */
public final class JndiDnsResolver implements DnsResolver {
  /** The default time-out of the first try; JNDI doubles it on each retry. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  /** The default number of retries. */
  public static final int DEFAULT_RETRIES = 1;

  private final String providerUrl;
  private final Duration timeout;
  private final int retries;

  private JndiDnsResolver(Builder b) {
    this.providerUrl = String.join(" ", b.servers);
    this.timeout = b.timeout;
    this.retries = b.retries;
  }

  /** A builder with no nameserver: {@link Builder#nameserver} must be called at least once. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Answer resolve(String name, RecordType type) {
    String n = Domains.normaliseDnsName("name", name);
    Checks.notNull("type", type);
    Hashtable<String, Object> env = new Hashtable<>();
    env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
    env.put(Context.PROVIDER_URL, providerUrl);
    env.put("com.sun.jndi.dns.timeout.initial", Long.toString(timeout.toMillis()));
    // the provider counts tries, not retries: 0 would send no query at all
    env.put("com.sun.jndi.dns.timeout.retries", Integer.toString(retries + 1));
    DirContext ctx = null;
    try {
      ctx = new InitialDirContext(env);
      Attributes attrs = ctx.getAttributes(n + ".", new String[] {type.name()});
      Attribute attr = attrs.get(type.name());
      if (attr == null || attr.size() == 0) {
        return Answer.notFound();
      }
      List<String> values = new ArrayList<>();
      NamingEnumeration<?> all = attr.getAll();
      while (all.hasMore()) {
        values.add(value(type, String.valueOf(all.next())));
      }
      return Answer.found(values);
    } catch (NameNotFoundException e) {
      return Answer.notFound();
    } catch (NamingException e) {
      return Answer.failed(e.getClass().getSimpleName() + ": " + e.getExplanation());
    } finally {
      if (ctx != null) {
        try {
          ctx.close();
        } catch (NamingException e) {
          // nothing is held open by a closed DNS context
        }
      }
    }
  }

  /** TXT: character-strings unquoted and joined; CNAME, MX: trailing dot dropped. */
  static String value(RecordType type, String raw) {
    String v = raw.strip();
    if (type == RecordType.TXT) {
      // the provider writes a record's character-strings separated by one space, quoting those
      // that hold a space (or are empty) and escaping '"' and '\\' inside quotes
      StringBuilder b = new StringBuilder();
      int i = 0;
      while (i < v.length()) {
        char c = v.charAt(i);
        if (c == ' ') {
          i++;
        } else if (c == '"') {
          i++;
          while (i < v.length() && v.charAt(i) != '"') {
            if (v.charAt(i) == '\\' && i + 1 < v.length()) {
              i++;
            }
            b.append(v.charAt(i++));
          }
          i++;
        } else {
          while (i < v.length() && v.charAt(i) != ' ') {
            if (v.charAt(i) == '\\' && i + 1 < v.length()) {
              i++;
            }
            b.append(v.charAt(i++));
          }
        }
      }
      return b.toString();
    }
    return v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
  }

  /** Configures a {@link JndiDnsResolver}. */
  public static final class Builder {
    private final List<String> servers = new ArrayList<>();
    private Duration timeout = DEFAULT_TIMEOUT;
    private int retries = DEFAULT_RETRIES;

    private Builder() {}

    /** Adds a nameserver to ask, as {@code host} or {@code host:port}; asked in order added. */
    public Builder nameserver(String hostAndPort) {
      String s = Checks.text("nameserver", hostAndPort, 300);
      if (s.contains("/") || s.contains(" ")) {
        throw new InvalidOnboardingInputException(
            "nameserver '" + s + "' must be host or host:port");
      }
      servers.add("dns://" + s);
      return this;
    }

    /** The time-out of the first try (default {@link #DEFAULT_TIMEOUT}). */
    public Builder timeout(Duration timeout) {
      Checks.notNull("timeout", timeout);
      if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() < 1) {
        throw new InvalidOnboardingInputException("timeout must be at least 1 ms, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** Retries after a time-out (default {@link #DEFAULT_RETRIES}); 0 to 5. */
    public Builder retries(int retries) {
      if (retries < 0 || retries > 5) {
        throw new InvalidOnboardingInputException("retries must be 0 to 5, was " + retries);
      }
      this.retries = retries;
      return this;
    }

    /**
     * The resolver.
     *
     * @throws InvalidOnboardingInputException when no nameserver was named
     */
    public JndiDnsResolver build() {
      if (servers.isEmpty()) {
        throw new InvalidOnboardingInputException(
            "nameserver is required: JndiDnsResolver asks only the nameservers it is given and"
                + " never falls back to a public resolver");
      }
      return new JndiDnsResolver(this);
    }
  }
}
