package dev.steward.onboarding;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The Public Suffix List (Mozilla, MPL-2.0; shipped beside this class as {@value #RESOURCE} with
 * its licence) and the registrable domain it gives a name, by the list's own algorithm: the
 * matching rule with the most labels prevails, a wildcard ({@code *.ck}) matches any one label, an
 * exception ({@code !www.ck}) prevails over every other rule and makes its parent the suffix, and a
 * name no rule matches has its top-level label as suffix ("*"). Both sections are read, the ICANN
 * and the private one: two customers of a hosting suffix ({@code a.herokuapp.com}, {@code
 * b.herokuapp.com}) are different registrants, which is what DMARC relaxed alignment asks about.
 * Rules written in Unicode are kept in their ASCII (punycode) form, as the names checked are.
 * Immutable; loaded once.
 */
final class PublicSuffixes {
  static final String RESOURCE = "public_suffix_list.dat";

  private final Set<String> rules;
  private final Set<String> wildcards;
  private final Set<String> exceptions;

  private PublicSuffixes(Set<String> rules, Set<String> wildcards, Set<String> exceptions) {
    this.rules = Set.copyOf(rules);
    this.wildcards = Set.copyOf(wildcards);
    this.exceptions = Set.copyOf(exceptions);
  }

  private static final class Shipped {
    static final PublicSuffixes LIST = load();

    private static PublicSuffixes load() {
      try (InputStream in = PublicSuffixes.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(
              "the public suffix list " + RESOURCE + " is missing from dev.steward.onboarding");
        }
        return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException("reading the public suffix list " + RESOURCE, e);
      }
    }
  }

  /** The list shipped with the library. */
  static PublicSuffixes shipped() {
    return Shipped.LIST;
  }

  /**
   * A list in the format of {@code public_suffix_list.dat}: one rule per line (its first
   * whitespace-separated word), comments after {@code //}, blank lines ignored.
   */
  static PublicSuffixes parse(BufferedReader lines) throws IOException {
    Set<String> rules = new HashSet<>();
    Set<String> wildcards = new HashSet<>();
    Set<String> exceptions = new HashSet<>();
    String line;
    while ((line = lines.readLine()) != null) {
      String rule = line.strip();
      if (rule.isEmpty() || rule.startsWith("//")) {
        continue;
      }
      int space = indexOfWhitespace(rule);
      if (space >= 0) {
        rule = rule.substring(0, space);
      }
      if (rule.startsWith("!")) {
        ascii(rule.substring(1)).ifPresent(exceptions::add);
      } else if (rule.startsWith("*.")) {
        ascii(rule.substring(2)).ifPresent(wildcards::add);
      } else if (!rule.contains("*")) {
        ascii(rule).ifPresent(rules::add);
      }
      // a wildcard anywhere but in the leftmost label is not in the list's format: skipped
    }
    return new PublicSuffixes(rules, wildcards, exceptions);
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static java.util.Optional<String> ascii(String rule) {
    try {
      String a = IDN.toASCII(rule, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
      return a.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(a);
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty(); // a rule no ASCII name can match
    }
  }

  /**
   * The public suffix of a normalised (lower-case, ASCII, no trailing dot) domain: the part the
   * prevailing rule matches.
   */
  String publicSuffix(String domain) {
    // candidate suffixes, longest first: the whole name, then without its first label, ...
    for (int from = 0; from >= 0; from = next(domain, from)) {
      String candidate = domain.substring(from);
      if (exceptions.contains(candidate)) {
        int dot = candidate.indexOf('.');
        return dot < 0 ? candidate : candidate.substring(dot + 1);
      }
    }
    for (int from = 0; from >= 0; from = next(domain, from)) {
      String candidate = domain.substring(from);
      if (rules.contains(candidate)) {
        return candidate;
      }
      int dot = candidate.indexOf('.');
      if (dot >= 0 && wildcards.contains(candidate.substring(dot + 1))) {
        return candidate;
      }
    }
    int last = domain.lastIndexOf('.');
    return last < 0 ? domain : domain.substring(last + 1);
  }

  /**
   * The registrable domain: the public suffix and one label more; the domain itself when it is a
   * public suffix or shorter (there is nothing to register under it).
   */
  String registrable(String domain) {
    String suffix = publicSuffix(domain);
    if (suffix.length() >= domain.length()) {
      return domain;
    }
    int end = domain.length() - suffix.length() - 1; // the dot before the suffix
    int start = domain.lastIndexOf('.', end - 1) + 1;
    return domain.substring(start);
  }

  private static int next(String domain, int from) {
    int dot = domain.indexOf('.', from);
    return dot < 0 ? -1 : dot + 1;
  }
}
