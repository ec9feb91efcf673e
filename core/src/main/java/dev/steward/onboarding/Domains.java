package dev.steward.onboarding;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Domain-name rules shared by the profile, the DNS checks and the content checks: syntax (labels of
 * letters, digits and inner hyphens, a non-numeric top-level label), and the organisational domain
 * (the registrable name under a public suffix of the shipped Public Suffix List, see {@link
 * PublicSuffixes}).
 */
final class Domains {
  /** Free-mail providers: mail from them sent through another platform fails their DMARC. */
  static final Set<String> FREE_MAIL =
      Set.of(
          "gmail.com",
          "googlemail.com",
          "yahoo.com",
          "yahoo.co.uk",
          "ymail.com",
          "hotmail.com",
          "hotmail.co.uk",
          "outlook.com",
          "live.com",
          "msn.com",
          "aol.com",
          "icloud.com",
          "me.com",
          "mac.com",
          "gmx.com",
          "gmx.de",
          "gmx.net",
          "web.de",
          "mail.com",
          "protonmail.com",
          "proton.me",
          "yandex.com",
          "yandex.ru",
          "mail.ru",
          "zoho.com",
          "qq.com",
          "163.com",
          "126.com",
          "free.fr",
          "orange.fr",
          "laposte.net",
          "libero.it");

  private Domains() {}

  /** The domain in lower case, without a trailing dot, or what is wrong with it. */
  static String normalise(String field, String raw) {
    Optional<String> problem = problem(raw);
    if (problem.isPresent()) {
      throw new InvalidOnboardingInputException(field + " " + problem.get());
    }
    return clean(raw);
  }

  /**
   * A DNS name (labels may also hold '_', as in {@code _dmarc.example.com}) in lower case, or what
   * is wrong with it.
   */
  static String normaliseDnsName(String field, String raw) {
    Optional<String> problem = problem(raw, true);
    if (problem.isPresent()) {
      throw new InvalidOnboardingInputException(field + " " + problem.get());
    }
    return clean(raw);
  }

  /** What is wrong with {@code raw} as a domain name; empty if nothing. */
  static Optional<String> problem(String raw) {
    return problem(raw, false);
  }

  private static Optional<String> problem(String raw, boolean underscore) {
    if (raw == null) {
      return Optional.of("must not be null");
    }
    String d = clean(raw);
    if (d.isEmpty()) {
      return Optional.of("must not be blank");
    }
    if (d.length() > 253) {
      return Optional.of("'" + raw + "' is longer than 253 characters");
    }
    String[] labels = d.split("\\.", -1);
    if (labels.length < 2) {
      return Optional.of("'" + raw + "' has no top-level label");
    }
    for (String label : labels) {
      if (label.isEmpty()) {
        return Optional.of("'" + raw + "' has an empty label");
      }
      if (label.length() > 63) {
        return Optional.of("'" + raw + "' has a label longer than 63 characters");
      }
      if (label.startsWith("-") || label.endsWith("-")) {
        return Optional.of("'" + raw + "' has a label that starts or ends with '-'");
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        if (!((c >= 'a' && c <= 'z')
            || (c >= '0' && c <= '9')
            || c == '-'
            || (underscore && c == '_'))) {
          return Optional.of("'" + raw + "' has the character '" + c + "'");
        }
      }
    }
    if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
      return Optional.of("'" + raw + "' has an all-numeric top-level label");
    }
    return Optional.empty();
  }

  private static String clean(String raw) {
    String d = raw.strip().toLowerCase(Locale.ROOT);
    return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
  }

  /**
   * The organisational (registrable) domain of a valid domain: its public suffix by the Public
   * Suffix List and one label more ({@code bakery.co.at} for {@code www.bakery.co.at}); the domain
   * itself when it is a public suffix.
   */
  static String organisational(String domain) {
    return PublicSuffixes.shipped().registrable(clean(domain));
  }

  /** True when the two domains share their organisational domain (DMARC relaxed alignment). */
  static boolean relaxedAligned(String a, String b) {
    return organisational(a).equals(organisational(b));
  }

  /** True for a free-mail provider's domain or a subdomain of one. */
  static boolean isFreeMail(String domain) {
    return FREE_MAIL.contains(domain) || FREE_MAIL.contains(organisational(domain));
  }
}
