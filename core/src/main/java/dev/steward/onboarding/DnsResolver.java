package dev.steward.onboarding;

import java.util.List;

/**
 * Looks names up in the DNS: what the blocklist and sender-domain checks ask. The default is {@link
 * JndiDnsResolver}, on the JDK's own DNS client, with the nameservers the ISV names; tests use a
 * map of answers. An implementation never throws for a failed lookup: it answers {@link
 * Status#FAILED} with the reason.
 */
@FunctionalInterface
public interface DnsResolver {

  /** The records of {@code type} at {@code name} (a domain name without trailing dot). */
  Answer resolve(String name, RecordType type);

  /** The record types the checks ask for. */
  enum RecordType {
    /** IPv4 addresses (DNSBL answers). */
    A,
    /** Text records (SPF, DKIM, DMARC). */
    TXT,
    /** Aliases (SendGrid's automated-security DKIM and return-path records). */
    CNAME,
    /** Mail exchangers. */
    MX
  }

  /** How a lookup ended. */
  enum Status {
    /** The name has records of the type asked; {@link Answer#values()} holds them. */
    FOUND,
    /** The name does not exist, or has no records of the type (NXDOMAIN or NODATA). */
    NOT_FOUND,
    /** No answer: time-out, refusal, server failure; {@link Answer#detail()} says which. */
    FAILED
  }

  /**
   * A lookup's answer.
   *
   * @param status how it ended
   * @param values the records' values (TXT as one string per record, its chunks joined; CNAME
   *     targets without trailing dot; A as dotted quads)
   * @param detail what went wrong, or empty
   */
  record Answer(Status status, List<String> values, String detail) {
    public Answer {
      Checks.notNull("status", status);
      values = List.copyOf(Checks.notNull("values", values));
      Checks.notNull("detail", detail);
      if (status == Status.FOUND && values.isEmpty()) {
        throw new InvalidOnboardingInputException("a FOUND answer must have values");
      }
    }

    /** Records found. */
    public static Answer found(List<String> values) {
      return new Answer(Status.FOUND, values, "");
    }

    /** No such name or no such records. */
    public static Answer notFound() {
      return new Answer(Status.NOT_FOUND, List.of(), "");
    }

    /** The lookup failed. */
    public static Answer failed(String detail) {
      return new Answer(Status.FAILED, List.of(), detail);
    }
  }
}
