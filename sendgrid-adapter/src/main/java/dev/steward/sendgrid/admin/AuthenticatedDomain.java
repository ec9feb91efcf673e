package dev.steward.sendgrid.admin;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A domain authentication as SendGrid answered it ({@code /v3/whitelabel/domains}).
 *
 * @param id SendGrid's id of it
 * @param domain the From domain authenticated
 * @param subdomain the return-path subdomain SendGrid chose or was given ({@code em1234})
 * @param username the (sub)user it belongs to, when SendGrid said
 * @param automaticSecurity true when SendGrid manages SPF and DKIM through CNAMEs
 * @param valid whether SendGrid last found every record in place
 * @param dns the records to publish, in SendGrid's order
 */
public record AuthenticatedDomain(
    long id,
    String domain,
    Optional<String> subdomain,
    Optional<String> username,
    boolean automaticSecurity,
    boolean valid,
    List<DnsEntry> dns) {

  /** Checks the parts and copies the records. */
  public AuthenticatedDomain {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(subdomain, "subdomain");
    Objects.requireNonNull(username, "username");
    dns = List.copyOf(dns);
  }

  /**
   * One DNS record of a domain authentication.
   *
   * @param name SendGrid's name of it ({@code mail_cname}, {@code dkim1}, {@code dkim2}; with
   *     manual security {@code mail_server}, {@code subdomain_spf}, {@code dkim})
   * @param type the record type as SendGrid writes it ({@code cname}, {@code txt}, {@code mx})
   * @param host the name to publish it at
   * @param data its value
   * @param valid whether SendGrid last found it in place
   */
  public record DnsEntry(String name, String type, String host, String data, boolean valid) {
    /** Checks the parts. */
    public DnsEntry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(data, "data");
    }
  }
}
