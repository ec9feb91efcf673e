package dev.steward.calendar;

import static dev.steward.calendar.CalendarFixtures.GLOBEX;
import static dev.steward.calendar.CalendarFixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.calendar.CalendarEntry.Status;
import dev.steward.calendar.CalendarEntry.Type;
import dev.steward.model.Channel;
import dev.steward.model.MessageKind;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The optional parts of a calendar entry are {@code Optional}, never null. */
class CalendarEntryOptionalTest {
  private static final Instant AT = Instant.parse("2024-03-05T09:00:00Z");

  @Test
  void nullValuesGivenToOfAreEmpty() {
    CalendarEntry complaint =
        CalendarEntry.of(
            TENANT,
            "x1",
            Type.COMPLAINT,
            Status.SENT,
            GLOBEX,
            null,
            null,
            null,
            null,
            null,
            null,
            AT);
    assertThat(complaint.contact()).isEmpty();
    assertThat(complaint.team()).isEmpty();
    assertThat(complaint.kind()).isEmpty();
    assertThat(complaint.category()).isEmpty();
    assertThat(complaint.channel()).isEmpty();
    assertThat(complaint.campaign()).isEmpty();
  }

  @Test
  void aNullOptionalIsTakenAsEmpty() {
    CalendarEntry built =
        new CalendarEntry(
            TENANT,
            "x1",
            Type.COMPLAINT,
            Status.SENT,
            GLOBEX,
            null,
            null,
            null,
            null,
            null,
            null,
            AT);
    assertThat(built)
        .isEqualTo(
            CalendarEntry.of(
                TENANT,
                "x1",
                Type.COMPLAINT,
                Status.SENT,
                GLOBEX,
                null,
                null,
                null,
                null,
                null,
                null,
                AT));
  }

  @Test
  void categoriesAreNormalisedAndACommunicationNeedsOne() {
    CalendarEntry complaint =
        CalendarEntry.of(
            TENANT,
            "x1",
            Type.COMPLAINT,
            Status.SENT,
            GLOBEX,
            null,
            null,
            null,
            " Tips ",
            null,
            null,
            AT);
    assertThat(complaint.category()).contains("tips");
    assertThatThrownBy(
            () ->
                new CalendarEntry(
                    TENANT,
                    "m1",
                    Type.COMMUNICATION,
                    Status.SCHEDULED,
                    GLOBEX,
                    Optional.empty(),
                    Optional.of("csm"),
                    Optional.of(MessageKind.EDUCATIONAL),
                    Optional.empty(),
                    Optional.of(Channel.EMAIL),
                    Optional.empty(),
                    AT))
        .as("a communication's category is required")
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("calendar entry 'm1' category");
  }

  private static CalendarEntry communication(String team, String category, String campaign) {
    return CalendarEntry.of(
        TENANT,
        "m1",
        Type.COMMUNICATION,
        Status.SCHEDULED,
        GLOBEX,
        null,
        team,
        MessageKind.PROMOTIONAL,
        category,
        Channel.EMAIL,
        campaign,
        AT);
  }

  @Test
  void namesAndCategoriesCheckedOnceAreStillCheckedForEveryOtherValue() {
    String team = "marketing";
    String category = "offers";
    String campaign = "spring";
    CalendarEntry first = communication(team, category, campaign);
    CalendarEntry again = communication(team, category, campaign);
    assertThat(again).isEqualTo(first);
    assertThat(again.category()).containsSame(category);

    // a value equal to one seen but needing normalisation is still normalised
    assertThat(communication(team, " Offers ", campaign).category()).contains("offers");
    // bad values after good ones are still refused, naming the field
    String longName = "t".repeat(10_000);
    assertThatThrownBy(() -> communication(longName, category, campaign))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("team");
    assertThatThrownBy(() -> communication(team, category, "bad\u0000campaign"))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("campaign");
    // rsend: a bad category is refused as the other fields are (it was InvalidModelException)
    assertThatThrownBy(() -> communication(team, "no spaces", campaign))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("calendar entry 'm1' category 'no spaces'");
    assertThatThrownBy(() -> communication(team, "c".repeat(10_000), campaign))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("calendar entry 'm1' category");
  }
}
