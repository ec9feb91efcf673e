package dev.steward.sendgrid.admin;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A link branding as SendGrid answered it ({@code /v3/whitelabel/links}).
 *
 * @param id SendGrid's id of it
 * @param domain the root domain the links are branded for
 * @param subdomain the subdomain the links are served under ({@code url1234})
 * @param username the (sub)user it belongs to, when SendGrid said
 * @param valid whether SendGrid last found every record in place
 * @param dns the records to publish ({@code domain_cname}, {@code owner_cname}), in SendGrid's
 *     order
 */
public record BrandedLink(
    long id,
    String domain,
    Optional<String> subdomain,
    Optional<String> username,
    boolean valid,
    List<AuthenticatedDomain.DnsEntry> dns) {

  /** Checks the parts and copies the records. */
  public BrandedLink {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(subdomain, "subdomain");
    Objects.requireNonNull(username, "username");
    dns = List.copyOf(dns);
  }
}
