package dev.steward.frequency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.StewardException;
import dev.steward.model.Channel;
import dev.steward.model.MessageKind;
import dev.steward.model.Priority;
import dev.steward.testing.SettableClock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Policies as data: the builder, JSON round trips and the refusal of invalid policies. */
class CapPolicyTest {

  private static CapPolicy everything() {
    return CapPolicy.builder()
        .cap(Cap.perContact(2, Window.rolling(Duration.ofDays(7))))
        .cap(Cap.perContact(8, Window.rolling(Duration.ofDays(30))))
        .cap(Cap.perContact(1, Window.day()).eachCategory())
        .cap(
            Cap.perAccount(20, Window.month())
                .onlyKinds(MessageKind.PROMOTIONAL)
                .onlyChannels(Channel.EMAIL)
                .onlyTeams("Marketing", "sales")
                .withId("account-promos"))
        .cap(Cap.perContact(3, Window.rolling(Duration.ofHours(36))).onlyCategories("news", "tips"))
        .cap(Cap.perContact(1, Window.quarter()).onlyKinds(MessageKind.RELATIONSHIP))
        .coolDown(
            CoolDown.afterContactActivity("support-ticket-closed", Duration.ofHours(48))
                .onlyKinds(MessageKind.PROMOTIONAL))
        .coolDown(CoolDown.afterAccountActivity("churn-risk", Duration.ofDays(3)).withId("churn"))
        .quietHours(LocalTime.of(21, 0), LocalTime.of(8, 0))
        .sendWindow(SendWindow.weekdays(LocalTime.of(9, 0), LocalTime.of(17, 30)))
        .maxConcurrentJourneys(3)
        .exemptKinds(List.of(MessageKind.TRANSACTIONAL, MessageKind.OPERATIONAL))
        .exemptAtOrAbove(Priority.CRITICAL)
        .zone(ZoneId.of("Europe/Paris"))
        .build();
  }

  @Test
  void jsonRoundTripIsExact() {
    CapPolicy policy = everything();
    String json = policy.toJson();
    CapPolicy back = CapPolicy.fromJson(json);

    assertThat(back).isEqualTo(policy);
    assertThat(back.hashCode()).isEqualTo(policy.hashCode());
    assertThat(back.toJson()).isEqualTo(json);
    assertThat(CapPolicy.fromJson(CapPolicy.builder().build().toJson()))
        .isEqualTo(CapPolicy.builder().build());
  }

  @Test
  void handWrittenJsonReadsAsTheBuilderWouldBuild() {
    String json =
        """
        {"caps": [
           {"scope": "CONTACT", "max": 2, "window": "P7D"},
           {"scope": "CONTACT", "max": 1, "window": "DAY", "perCategory": true},
           {"id": "promo-week", "scope": "ACCOUNT", "max": 5, "window": "WEEK", "kinds": ["PROMOTIONAL"]}],
         "coolDowns": [{"activity": "support-ticket-closed", "length": "PT48H", "scope": "CONTACT",
                        "kinds": ["PROMOTIONAL"]}],
         "quietHours": {"start": "21:00", "end": "08:00"},
         "sendWindow": {"days": ["MONDAY", "TUESDAY"], "from": "09:00", "to": "17:00"},
         "exemptAtOrAbove": "CRITICAL"}
        """;
    CapPolicy expected =
        CapPolicy.builder()
            .cap(Cap.perContact(2, Window.rolling(Duration.ofDays(7))))
            .cap(Cap.perContact(1, Window.day()).eachCategory())
            .cap(
                Cap.perAccount(5, Window.week())
                    .onlyKinds(MessageKind.PROMOTIONAL)
                    .withId("promo-week"))
            .coolDown(
                CoolDown.afterContactActivity("support-ticket-closed", Duration.ofHours(48))
                    .onlyKinds(MessageKind.PROMOTIONAL))
            .quietHours(LocalTime.of(21, 0), LocalTime.of(8, 0))
            .sendWindow(
                EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY),
                LocalTime.of(9, 0),
                LocalTime.of(17, 0))
            .exemptAtOrAbove(Priority.CRITICAL)
            .build();

    CapPolicy read = CapPolicy.fromJson(json);
    assertThat(read).isEqualTo(expected);
    assertThat(read.caps())
        .extracting(Cap::id)
        .containsExactly("contact-2-per-P7D", "contact-1-per-DAY-per-category", "promo-week");
    assertThat(read.exemptKinds()).containsExactly(MessageKind.TRANSACTIONAL);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "negative max | {\"caps\":[{\"scope\":\"CONTACT\",\"max\":-1,\"window\":\"DAY\"}]} | caps[0]: cap: max must not be negative",
        "missing max | {\"caps\":[{\"scope\":\"CONTACT\",\"window\":\"DAY\"}]} | caps[0].max: is missing",
        "fractional max | {\"caps\":[{\"scope\":\"CONTACT\",\"max\":1.5,\"window\":\"DAY\"}]} | caps[0].max: must be an integer",
        "empty window | {\"caps\":[{\"scope\":\"CONTACT\",\"max\":1,\"window\":\"\"}]} | caps[0].window: window must not be empty",
        "zero window | {\"caps\":[{\"scope\":\"CONTACT\",\"max\":1,\"window\":\"PT0S\"}]} | caps[0].window: window: length must be positive",
        "negative window | {\"caps\":[{\"scope\":\"CONTACT\",\"max\":1,\"window\":\"-P1D\"}]} | caps[0].window: window: length must be positive",
        "bad window | {\"caps\":[{\"scope\":\"CONTACT\",\"max\":1,\"window\":\"FORTNIGHT\"}]} | caps[0].window: 'FORTNIGHT' is neither",
        "unknown scope | {\"caps\":[{\"scope\":\"TEAM\",\"max\":1,\"window\":\"DAY\"}]} | caps[0].scope: unknown CapScope 'TEAM'",
        "unknown kind | {\"caps\":[{\"scope\":\"CONTACT\",\"max\":1,\"window\":\"DAY\",\"kinds\":[\"PROMO\"]}]} | caps[0].kinds: unknown MessageKind 'PROMO'",
        "unknown channel | {\"caps\":[{\"scope\":\"CONTACT\",\"max\":1,\"window\":\"DAY\",\"channels\":[\"FAX\"]}]} | caps[0].channels: unknown Channel 'FAX'",
        "bad category | {\"caps\":[{\"scope\":\"CONTACT\",\"max\":1,\"window\":\"DAY\",\"categories\":[\"a b\"]}]} | caps[0]: categories:",
        "unknown cap field | {\"caps\":[{\"scope\":\"CONTACT\",\"max\":1,\"window\":\"DAY\",\"limit\":3}]} | caps[0].limit: unknown field",
        "duplicate ids | {\"caps\":[{\"scope\":\"CONTACT\",\"max\":1,\"window\":\"DAY\"},{\"scope\":\"CONTACT\",\"max\":1,\"window\":\"DAY\"}]} | caps[1].id: duplicate rule id 'contact-1-per-DAY'",
        "unknown zone | {\"zone\":\"Mars/Olympus\"} | zone: unknown time zone 'Mars/Olympus'",
        "equal quiet hours | {\"quietHours\":{\"start\":\"21:00\",\"end\":\"21:00\"}} | quietHours: start and end must differ",
        "bad quiet time | {\"quietHours\":{\"start\":\"25:00\",\"end\":\"08:00\"}} | quietHours.start: '25:00' is not a local time",
        "reversed send window | {\"sendWindow\":{\"days\":[\"MONDAY\"],\"from\":\"17:00\",\"to\":\"09:00\"}} | sendWindow: from (17:00) must be before to (09:00)",
        "no send days | {\"sendWindow\":{\"days\":[],\"from\":\"09:00\",\"to\":\"17:00\"}} | sendWindow: days must name at least one day",
        "unknown day | {\"sendWindow\":{\"days\":[\"FUNDAY\"],\"from\":\"09:00\",\"to\":\"17:00\"}} | sendWindow.days: unknown DayOfWeek 'FUNDAY'",
        "zero cool-down | {\"coolDowns\":[{\"activity\":\"x\",\"length\":\"PT0S\",\"scope\":\"CONTACT\"}]} | coolDowns[0]: cool-down: length must be positive",
        "bad cool-down length | {\"coolDowns\":[{\"activity\":\"x\",\"length\":\"2 days\",\"scope\":\"CONTACT\"}]} | coolDowns[0].length: '2 days' is not an ISO duration",
        "no journeys | {\"maxConcurrentJourneys\":0} | maxConcurrentJourneys: must be at least 1, was 0",
        "unknown priority | {\"exemptAtOrAbove\":\"URGENT\"} | exemptAtOrAbove: unknown Priority 'URGENT'",
        "unknown exempt kind | {\"exemptKinds\":[\"RECEIPT\"]} | exemptKinds: unknown MessageKind 'RECEIPT'",
        "unknown field | {\"capz\":[]} | capz: unknown field",
        "not an object | [1,2] | policy: must be a JSON object",
        "malformed | {\"caps\": [ | policy JSON is malformed",
      })
  void invalidJsonIsRefusedNamingTheField(String name, String json, String message) {
    assertThatThrownBy(() -> CapPolicy.fromJson(json))
        .isInstanceOf(InvalidPolicyException.class)
        .isInstanceOf(StewardException.class)
        .hasMessageContaining(message);
  }

  @Test
  void invalidBuilderInputIsRefusedBeforeAnythingIsStored() {
    InMemoryCapLedgerStore store = InMemoryCapLedgerStore.of();
    SettableClock clock = SettableClock.of(Instant.parse("2026-01-05T10:00:00Z"));

    assertThatThrownBy(() -> Cap.perContact(-2, Window.day()))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("max must not be negative, was -2");
    assertThatThrownBy(() -> Window.rolling(Duration.ZERO))
        .hasMessageContaining("window: length must be positive");
    assertThatThrownBy(() -> Window.rolling(Duration.ofMillis(1500)))
        .hasMessageContaining("whole seconds");
    assertThatThrownBy(() -> new QuietHours(LocalTime.NOON, LocalTime.NOON))
        .hasMessageContaining("quietHours: start and end must differ");
    assertThatThrownBy(
            () ->
                CapPolicy.builder()
                    .cap(Cap.perContact(1, Window.day()))
                    .cap(Cap.perContact(1, Window.day()).onlyKinds(MessageKind.PROMOTIONAL))
                    .cap(Cap.perContact(1, Window.day()))
                    .build())
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("caps[2].id: duplicate rule id 'contact-1-per-DAY'");
    assertThatThrownBy(() -> FrequencyCapLimiter.builder(store, clock).horizon(Duration.ofDays(-1)))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("horizon");
    assertThatThrownBy(
            () ->
                FrequencyCapLimiter.builder(store, clock)
                    .policy(
                        CapPolicy.fromJson(
                            "{\"caps\":[{\"scope\":\"CONTACT\",\"max\":-1,\"window\":\"DAY\"}]}"))
                    .build())
        .isInstanceOf(InvalidPolicyException.class);

    assertThat(store.subjectCount()).isZero();
  }

  @Test
  void derivedIdsFollowTheirFilters() {
    assertThat(Cap.perContact(2, Window.rolling(Duration.ofDays(7))).id())
        .isEqualTo("contact-2-per-P7D");
    assertThat(Cap.perAccount(1, Window.rolling(Duration.ofHours(36))).id())
        .isEqualTo("account-1-per-PT36H");
    assertThat(
            Cap.perContact(1, Window.day()).eachCategory().onlyKinds(MessageKind.PROMOTIONAL).id())
        .isEqualTo("contact-1-per-DAY-per-category-promotional");
    assertThat(
            Cap.perContact(1, Window.day()).withId("mine").onlyKinds(MessageKind.PROMOTIONAL).id())
        .isEqualTo("mine");
  }

  @Test
  void capIdsOfContactsChosenFrequenciesAreReserved() {
    assertThatThrownBy(() -> Cap.perContact(1, Window.day()).withId("preference"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("'preference' is reserved");
    assertThatThrownBy(() -> Cap.perContact(1, Window.day()).withId("preference-weekly-news"))
        .isInstanceOf(InvalidPolicyException.class);
    assertThat(Cap.perContact(1, Window.day()).withId("preferences-of-sales").id())
        .isEqualTo("preferences-of-sales");
  }
}
