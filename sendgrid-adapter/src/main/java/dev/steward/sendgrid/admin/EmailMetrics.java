package dev.steward.sendgrid.admin;

/**
 * SendGrid's email statistics of one day (or week, month) for the account, a category or a subuser:
 * each count as SendGrid reports it.
 *
 * @param requests messages requested
 * @param processed messages SendGrid accepted for sending
 * @param delivered messages the receiving server accepted
 * @param deferred deferrals (a message may be deferred several times)
 * @param bounces bounces (hard)
 * @param blocks blocks
 * @param invalidEmails messages to invalid addresses
 * @param spamReports spam reports
 * @param unsubscribes unsubscribes
 * @param bounceDrops messages dropped because the address bounced before
 * @param spamReportDrops messages dropped because the address reported spam before
 * @param unsubscribeDrops messages dropped because the address unsubscribed before
 * @param opens opens
 * @param uniqueOpens distinct recipients who opened
 * @param clicks clicks
 * @param uniqueClicks distinct recipients who clicked
 */
public record EmailMetrics(
    long requests,
    long processed,
    long delivered,
    long deferred,
    long bounces,
    long blocks,
    long invalidEmails,
    long spamReports,
    long unsubscribes,
    long bounceDrops,
    long spamReportDrops,
    long unsubscribeDrops,
    long opens,
    long uniqueOpens,
    long clicks,
    long uniqueClicks) {

  /** Nothing at all. */
  public static final EmailMetrics ZERO =
      new EmailMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Refuses a negative count. */
  public EmailMetrics {
    long[] all = {
      requests,
      processed,
      delivered,
      deferred,
      bounces,
      blocks,
      invalidEmails,
      spamReports,
      unsubscribes,
      bounceDrops,
      spamReportDrops,
      unsubscribeDrops,
      opens,
      uniqueOpens,
      clicks,
      uniqueClicks
    };
    for (long c : all) {
      if (c < 0) {
        throw new IllegalArgumentException("email metrics must not be negative, not " + c);
      }
    }
  }
}
