package dev.steward.journey;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a contact of a {@link JourneySimulation} behaves: the share of the journey messages sent to
 * it that it opens and clicks (drawn from the simulation's seeded random, so a run with the same
 * seed opens the same messages), how long after the send, and actions scripted at offsets from the
 * simulation's start: a signal ({@code replied}, {@code custom:<name>}), a changed attribute
 * ({@code status = churned} on day 20, {@code setupComplete = true} on day 2), or an open (or
 * click) of the last journey message sent to the contact before then.
 *
 * <pre>{@code
 * SimulatedEngagement.opens(0.25).clicks(0.04)
 *     .attribute(Duration.ofDays(2), "setupComplete", "true")
 *     .signal(Duration.ofDays(15), "replied");
 * }</pre>
 *
 * @param openRate the share of sent journey messages the contact opens, from 0 to 1
 * @param clickRate the share of sent journey messages the contact clicks (each also an open), from
 *     0 to {@code openRate}
 * @param openDelay how long after its send a message is opened (and clicked)
 * @param actions what the contact does at fixed offsets, in the order given
 * @param unsubscribeRate the share of sent journey messages after which the contact unsubscribes
 *     from all email, {@code openDelay} after the send, from 0 to 1
 * @param groupUnsubscribeRate the share after which it unsubscribes from the message's category
 * @param spamReportRate the share it reports as spam, {@code openDelay} after the send
 * @param bounceRate the share that hard-bounce at once (not delivered, never opened); the four
 *     shares together at most 1, since one draw decides a message's fate
 */
public record SimulatedEngagement(
    double openRate,
    double clickRate,
    Duration openDelay,
    List<Action> actions,
    double unsubscribeRate,
    double groupUnsubscribeRate,
    double spamReportRate,
    double bounceRate) {

  /** How long after its send a message is opened unless set. */
  public static final Duration DEFAULT_OPEN_DELAY = Duration.ofHours(2);

  /** A contact that opens nothing and does nothing. */
  public static final SimulatedEngagement NONE =
      new SimulatedEngagement(0, 0, DEFAULT_OPEN_DELAY, List.of(), 0, 0, 0, 0);

  public SimulatedEngagement {
    if (!(openRate >= 0 && openRate <= 1)) {
      throw new InvalidJourneyException(
          "engagement: open rate must be a share from 0 to 1 (0.25 is 25%), was " + openRate);
    }
    if (!(clickRate >= 0 && clickRate <= openRate)) {
      throw new InvalidJourneyException(
          "engagement: click rate must be from 0 to the open rate "
              + openRate
              + " (a click is an open too), was "
              + clickRate);
    }
    share(unsubscribeRate, "unsubscribe rate");
    share(groupUnsubscribeRate, "group unsubscribe rate");
    share(spamReportRate, "spam report rate");
    share(bounceRate, "bounce rate");
    if (unsubscribeRate + groupUnsubscribeRate + spamReportRate + bounceRate > 1 + 1e-9) {
      throw new InvalidJourneyException(
          "engagement: unsubscribe rate "
              + unsubscribeRate
              + " + group unsubscribe rate "
              + groupUnsubscribeRate
              + " + spam report rate "
              + spamReportRate
              + " + bounce rate "
              + bounceRate
              + " must be at most 1: one draw decides each message's fate");
    }
    InvalidJourneyException.requireNonNull(openDelay, "engagement: open delay");
    if (openDelay.isNegative()) {
      throw new InvalidJourneyException(
          "engagement: open delay must not be negative, was " + openDelay);
    }
    InvalidJourneyException.requireNonNull(actions, "engagement: actions");
    for (Action a : actions) {
      InvalidJourneyException.requireNonNull(a, "engagement: an action");
    }
    actions = List.copyOf(actions);
  }

  /** A contact that opens {@code openRate} of the journey messages sent to it. */
  public static SimulatedEngagement opens(double openRate) {
    return NONE.withRates(openRate, 0);
  }

  /** A copy that clicks {@code clickRate} of the messages sent (each click also an open). */
  public SimulatedEngagement clicks(double clickRate) {
    return withRates(openRate, clickRate);
  }

  private SimulatedEngagement withRates(double open, double click) {
    return new SimulatedEngagement(
        open,
        click,
        openDelay,
        actions,
        unsubscribeRate,
        groupUnsubscribeRate,
        spamReportRate,
        bounceRate);
  }

  /** A copy that opens (and clicks, unsubscribes, reports spam) {@code delay} after each send. */
  public SimulatedEngagement openAfter(Duration delay) {
    return new SimulatedEngagement(
        openRate,
        clickRate,
        delay,
        actions,
        unsubscribeRate,
        groupUnsubscribeRate,
        spamReportRate,
        bounceRate);
  }

  /**
   * A copy that unsubscribes from all email after {@code rate} of the journey messages sent to it
   * (an {@code unsubscribe} provider event, {@link #openDelay} after the send).
   */
  public SimulatedEngagement unsubscribes(double rate) {
    return new SimulatedEngagement(
        openRate,
        clickRate,
        openDelay,
        actions,
        rate,
        groupUnsubscribeRate,
        spamReportRate,
        bounceRate);
  }

  /**
   * A copy that unsubscribes from the message's category after {@code rate} of the journey messages
   * sent to it (a {@code group_unsubscribe} provider event).
   */
  public SimulatedEngagement unsubscribesFromCategory(double rate) {
    return new SimulatedEngagement(
        openRate, clickRate, openDelay, actions, unsubscribeRate, rate, spamReportRate, bounceRate);
  }

  /** A copy that reports {@code rate} of the journey messages sent to it as spam. */
  public SimulatedEngagement reportsSpam(double rate) {
    return new SimulatedEngagement(
        openRate,
        clickRate,
        openDelay,
        actions,
        unsubscribeRate,
        groupUnsubscribeRate,
        rate,
        bounceRate);
  }

  /**
   * A copy whose address hard-bounces {@code rate} of the journey messages sent to it (a {@code
   * bounce} provider event at the send: the address is suppressed from then on).
   */
  public SimulatedEngagement bounces(double rate) {
    return new SimulatedEngagement(
        openRate,
        clickRate,
        openDelay,
        actions,
        unsubscribeRate,
        groupUnsubscribeRate,
        spamReportRate,
        rate);
  }

  /** Whether any message may unsubscribe, be reported or bounce: a fate is drawn per send. */
  boolean drawsFate() {
    return unsubscribeRate + groupUnsubscribeRate + spamReportRate + bounceRate > 0;
  }

  /**
   * A copy that, at an offset from the start, unsubscribes from all email (from the last journey
   * message sent before then, if any).
   */
  public SimulatedEngagement unsubscribe(Duration after) {
    return with(new ProviderEvent(after, ProviderEvent.Type.UNSUBSCRIBE));
  }

  /**
   * A copy that, at an offset from the start, unsubscribes from the category of the last journey
   * message sent before then (nothing if none was sent).
   */
  public SimulatedEngagement unsubscribeFromCategory(Duration after) {
    return with(new ProviderEvent(after, ProviderEvent.Type.GROUP_UNSUBSCRIBE));
  }

  /** A copy that reports the last journey message sent before an offset as spam. */
  public SimulatedEngagement reportSpam(Duration after) {
    return with(new ProviderEvent(after, ProviderEvent.Type.SPAM_REPORT));
  }

  /**
   * A copy whose address hard-bounces at an offset (the bounce of the last journey message sent
   * before then, if any): suppressed from then on.
   */
  public SimulatedEngagement bounce(Duration after) {
    return with(new ProviderEvent(after, ProviderEvent.Type.BOUNCE));
  }

  /** A copy that signals {@code event} ({@code replied} or {@code custom:<name>}) at an offset. */
  public SimulatedEngagement signal(Duration after, String event) {
    return with(new Signal(after, event));
  }

  /**
   * A copy that opens, at an offset from the start, the last journey message sent to the contact
   * before then (nothing if none was sent).
   */
  public SimulatedEngagement opensLast(Duration after) {
    return with(new Open(after, false));
  }

  /** A copy that clicks (and so opens) the last journey message sent before an offset. */
  public SimulatedEngagement clicksLast(Duration after) {
    return with(new Open(after, true));
  }

  /** A copy that sets an attribute at an offset from the start. */
  public SimulatedEngagement attribute(Duration after, String name, String value) {
    return with(
        new SetAttribute(
            after, name, Optional.of(InvalidJourneyException.requireNonNull(value, "value"))));
  }

  private SimulatedEngagement with(Action a) {
    List<Action> all = new ArrayList<>(actions);
    all.add(a);
    return new SimulatedEngagement(
        openRate,
        clickRate,
        openDelay,
        all,
        unsubscribeRate,
        groupUnsubscribeRate,
        spamReportRate,
        bounceRate);
  }

  /** Something a contact does at a fixed offset from the simulation's start. */
  public sealed interface Action permits Signal, SetAttribute, Open, ProviderEvent {
    /** The offset from the simulation's start. */
    Duration after();
  }

  /**
   * The contact replies, or a custom event of the application happens ({@code custom:<name>}):
   * waits for it resume.
   */
  public record Signal(Duration after, String event) implements Action {
    public Signal {
      offset(after);
      InvalidJourneyException.requireNonNull(event, "engagement: signal event");
      event = event.strip().toLowerCase(Locale.ROOT);
      if (!event.equals(Step.REPLIED)
          && !(event.startsWith("custom:") && event.length() > "custom:".length())) {
        throw new InvalidJourneyException(
            "engagement: signal '"
                + event
                + "' at "
                + after
                + ": only replied or custom:<name> can be signalled; opens and clicks come from"
                + " the open and click rates");
      }
    }
  }

  /**
   * An attribute of the contact is set (or, with an empty value, removed): branches, exit criteria
   * and date waits read it from then on.
   */
  public record SetAttribute(Duration after, String name, Optional<String> value)
      implements Action {
    public SetAttribute {
      offset(after);
      ContactProfile.checkAttribute(name, "engagement: attribute name");
      InvalidJourneyException.requireNonNull(value, "engagement: value of attribute " + name);
      value.ifPresent(v -> ContactProfile.checkAttribute(v, "engagement: attribute " + name));
    }
  }

  /**
   * The contact opens (and with {@code click}, clicks) the last journey message sent to it before
   * the offset: waits for its open or click resume, as a provider event would resume them.
   */
  public record Open(Duration after, boolean click) implements Action {
    public Open {
      offset(after);
    }
  }

  /**
   * The provider reports, at an offset, that the contact unsubscribed (from all email or from the
   * category of the last journey message sent), reported spam, or that its address hard-bounced:
   * the event goes through the same consent and suppression listeners as in production.
   */
  public record ProviderEvent(Duration after, Type type) implements Action {
    public ProviderEvent {
      offset(after);
      InvalidJourneyException.requireNonNull(type, "engagement: provider event type");
    }

    /** What the provider reports. */
    public enum Type {
      /** An unsubscribe from all email. */
      UNSUBSCRIBE,
      /** An unsubscribe from the category of the last journey message. */
      GROUP_UNSUBSCRIBE,
      /** A spam report. */
      SPAM_REPORT,
      /** A hard bounce of the address. */
      BOUNCE
    }
  }

  private static void share(double rate, String field) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new InvalidJourneyException(
          "engagement: " + field + " must be a share from 0 to 1 (0.01 is 1%), was " + rate);
    }
  }

  private static void offset(Duration after) {
    InvalidJourneyException.requireNonNull(after, "engagement: the offset of an action");
    if (after.isNegative()) {
      throw new InvalidJourneyException(
          "engagement: an action's offset must not be negative, was " + after);
    }
  }
}
