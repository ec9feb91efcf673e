package dev.steward.onboarding;

import dev.steward.model.MessageKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a tenant declares when it applies to send: who it is, what it sends, how much and to whom.
 * Built with {@link #builder()}, which names the field of an incomplete or bad profile ({@link
 * InvalidProfileException}). Domains are kept in lower case.
 *
 * @param businessName the tenant's legal or trading name
 * @param websiteDomain the domain of its public website
 * @param senderDomains the domains of its From addresses; at least one
 * @param linkDomains the domains its mail links to besides the sender and website domains
 * @param businessDocuments references to the documents that show the business is real (company
 *     registration, VAT number, ...); may be empty, which the vetting fails
 * @param declaredMonthlyVolume the emails it expects to send per month
 * @param sendingHistory how long it has sent at that volume
 * @param kinds the kinds of email it sends; at least one
 * @param doubleOptIn whether it confirms new subscribers by double opt-in
 * @param listSources where its addresses come from; at least one
 * @param attestation its acceptance of the acceptable-use policy, if given
 * @param sunsetAfter after how long without an open or click it stops mailing an address, if it
 *     does
 * @param senderDomainJustification why a sender domain is free mail or unrelated to the website, if
 *     one is
 */
public record TenantProfile(
    String businessName,
    String websiteDomain,
    List<String> senderDomains,
    List<String> linkDomains,
    List<String> businessDocuments,
    long declaredMonthlyVolume,
    SendingHistory sendingHistory,
    Set<MessageKind> kinds,
    boolean doubleOptIn,
    Set<ListSource> listSources,
    Optional<Attestation> attestation,
    Optional<Duration> sunsetAfter,
    Optional<String> senderDomainJustification) {
  /** The most domains a profile may name in one list (sender, link). */
  public static final int MAX_DOMAINS = 100;

  public TenantProfile {
    businessName = text("businessName", businessName, 300);
    websiteDomain = domain("websiteDomain", websiteDomain);
    senderDomains = domains("senderDomains", senderDomains, true);
    linkDomains = domains("linkDomains", linkDomains, false);
    if (businessDocuments == null) {
      throw new InvalidProfileException("businessDocuments", "must not be null");
    }
    List<String> docs = new ArrayList<>();
    for (int i = 0; i < businessDocuments.size(); i++) {
      docs.add(text("businessDocuments[" + i + "]", businessDocuments.get(i), 500));
    }
    businessDocuments = List.copyOf(docs);
    if (declaredMonthlyVolume < 1) {
      throw new InvalidProfileException(
          "declaredMonthlyVolume", "must be at least 1, was " + declaredMonthlyVolume);
    }
    if (sendingHistory == null) {
      throw new InvalidProfileException("sendingHistory", "is required");
    }
    if (kinds == null || kinds.isEmpty()) {
      throw new InvalidProfileException("kinds", "is required: at least one kind of email");
    }
    kinds = Set.copyOf(EnumSet.copyOf(kinds));
    if (listSources == null || listSources.isEmpty()) {
      throw new InvalidProfileException("listSources", "is required: at least one list source");
    }
    listSources = Set.copyOf(EnumSet.copyOf(listSources));
    if (attestation == null) {
      throw new InvalidProfileException("attestation", "must not be null (use Optional.empty())");
    }
    if (sunsetAfter == null) {
      throw new InvalidProfileException("sunsetAfter", "must not be null (use Optional.empty())");
    }
    sunsetAfter.ifPresent(
        d -> {
          if (d.isNegative() || d.isZero()) {
            throw new InvalidProfileException("sunsetAfter", "must be positive, was " + d);
          }
        });
    if (senderDomainJustification == null) {
      throw new InvalidProfileException(
          "senderDomainJustification", "must not be null (use Optional.empty())");
    }
    senderDomainJustification =
        senderDomainJustification.map(j -> text("senderDomainJustification", j, 2000));
  }

  /** A builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  private static String text(String field, String value, int max) {
    if (value == null) {
      throw new InvalidProfileException(field, "is required");
    }
    String v = value.strip();
    if (v.isEmpty()) {
      throw new InvalidProfileException(field, "must not be blank");
    }
    if (v.length() > max) {
      throw new InvalidProfileException(
          field, "is " + v.length() + " characters long; at most " + max + " allowed");
    }
    return v;
  }

  private static String domain(String field, String value) {
    if (value == null) {
      throw new InvalidProfileException(field, "is required");
    }
    Optional<String> problem = Domains.problem(value);
    if (problem.isPresent()) {
      throw new InvalidProfileException(field, problem.get());
    }
    return Domains.normalise(field, value);
  }

  private static List<String> domains(String field, List<String> values, boolean required) {
    if (values == null) {
      throw new InvalidProfileException(field, "must not be null");
    }
    if (required && values.isEmpty()) {
      throw new InvalidProfileException(field, "is required: at least one domain");
    }
    if (values.size() > MAX_DOMAINS) {
      // each domain costs DNS lookups per blocklist zone: a bound keeps vetting (and the
      // blocklist operators' rate limits) sane
      throw new InvalidProfileException(
          field, "names " + values.size() + " domains; at most " + MAX_DOMAINS);
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < values.size(); i++) {
      out.add(domain(field + "[" + i + "]", values.get(i)));
    }
    return List.copyOf(out);
  }

  /** Builds a {@link TenantProfile}; every field without a default must be set. */
  public static final class Builder {
    private String businessName;
    private String websiteDomain;
    private final List<String> senderDomains = new ArrayList<>();
    private final List<String> linkDomains = new ArrayList<>();
    private final List<String> businessDocuments = new ArrayList<>();
    private Long declaredMonthlyVolume;
    private SendingHistory sendingHistory;
    private final Set<MessageKind> kinds = EnumSet.noneOf(MessageKind.class);
    private Boolean doubleOptIn;
    private final Set<ListSource> listSources = EnumSet.noneOf(ListSource.class);
    private Attestation attestation;
    private Duration sunsetAfter;
    private String senderDomainJustification;

    private Builder() {}

    /** The tenant's legal or trading name. Required. */
    public Builder businessName(String name) {
      this.businessName = name;
      return this;
    }

    /** The domain of its website. Required. */
    public Builder websiteDomain(String domain) {
      this.websiteDomain = domain;
      return this;
    }

    /** The sender (From) domains, replacing any set before. At least one required. */
    public Builder senderDomains(String... domains) {
      senderDomains.clear();
      senderDomains.addAll(List.of(domains));
      return this;
    }

    /** The domains its mail links to besides sender and website domains, replacing any set. */
    public Builder linkDomains(String... domains) {
      linkDomains.clear();
      linkDomains.addAll(List.of(domains));
      return this;
    }

    /** References to business legitimacy documents, replacing any set before. */
    public Builder businessDocuments(String... references) {
      businessDocuments.clear();
      businessDocuments.addAll(List.of(references));
      return this;
    }

    /** Emails expected per month. Required. */
    public Builder declaredMonthlyVolume(long volume) {
      this.declaredMonthlyVolume = volume;
      return this;
    }

    /** How long it has sent at that volume. Required. */
    public Builder sendingHistory(SendingHistory history) {
      this.sendingHistory = history;
      return this;
    }

    /** The kinds of email it sends, replacing any set before. At least one required. */
    public Builder kinds(MessageKind... kinds) {
      this.kinds.clear();
      this.kinds.addAll(List.of(kinds));
      return this;
    }

    /** Whether it uses double opt-in. Required. */
    public Builder doubleOptIn(boolean doubleOptIn) {
      this.doubleOptIn = doubleOptIn;
      return this;
    }

    /** Where its addresses come from, replacing any set before. At least one required. */
    public Builder listSources(ListSource... sources) {
      listSources.clear();
      listSources.addAll(List.of(sources));
      return this;
    }

    /** Its acceptance of the acceptable-use policy. */
    public Builder attestation(Attestation attestation) {
      this.attestation = attestation;
      return this;
    }

    /** After how long without engagement it stops mailing an address. */
    public Builder sunsetAfter(Duration inactivity) {
      this.sunsetAfter = inactivity;
      return this;
    }

    /** Why a sender domain is free mail or unrelated to its website. */
    public Builder senderDomainJustification(String justification) {
      this.senderDomainJustification = justification;
      return this;
    }

    /**
     * The profile.
     *
     * @throws InvalidProfileException naming the first missing or bad field
     */
    public TenantProfile build() {
      if (declaredMonthlyVolume == null) {
        throw new InvalidProfileException("declaredMonthlyVolume", "is required");
      }
      if (doubleOptIn == null) {
        throw new InvalidProfileException("doubleOptIn", "is required: declare true or false");
      }
      return new TenantProfile(
          businessName,
          websiteDomain,
          senderDomains,
          linkDomains,
          businessDocuments,
          declaredMonthlyVolume,
          sendingHistory,
          kinds,
          doubleOptIn,
          listSources,
          Optional.ofNullable(attestation),
          Optional.ofNullable(sunsetAfter),
          Optional.ofNullable(senderDomainJustification));
    }
  }
}
