package dev.steward.sendgrid.mail;

import static dev.steward.sendgrid.mail.Fixtures.NOW;
import static dev.steward.sendgrid.mail.Fixtures.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.SendResult;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SendGrid's documented limits, checked before anything is written: each refusal names its limit,
 * reaches the dispatcher as REJECTED, and sends nothing. Also proves the schema validator is live.
 */
class MailLimitsTest {
  private final MockWebServer server = new MockWebServer();
  private final List<SendGridTransport> transports = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    transports.forEach(SendGridTransport::close);
    server.shutdown();
  }

  private SendGridTransport transport(Function<Message, MailContent> content) {
    SendGridTransport t = Fixtures.transport(server, content, new Fixtures.Recorder()).build();
    transports.add(t);
    return t;
  }

  /** The batch is refused for {@code limit}, as a send and as a delivery, with nothing sent. */
  private void refused(
      SendGridTransport t, List<Message> batch, MailLimit limit, String... phrases) {
    MailSendException e = SendGridTransportTest.failure(t.deliverBatch(batch));
    assertThat(e).isInstanceOf(InvalidMailException.class);
    assertThat(((InvalidMailException) e).limit()).hasValue(limit);
    assertThat(e.getMessage()).contains(phrases);
    SendResult r = t.sendBatch(batch);
    assertThat(r.status()).isEqualTo(SendResult.Status.REJECTED);
    assertThat(r.detail()).startsWith("INVALID_MAIL: ").contains(phrases);
    assertThat(server.getRequestCount()).isZero();
  }

  private static List<Message> recipients(int n) {
    return IntStream.range(0, n).mapToObj(i -> message("r" + i + "@example.com").build()).toList();
  }

  @Test
  void atMostOneThousandRecipients() throws Exception {
    SendGridTransport t = transport(Fixtures.plain());
    refused(t, recipients(1001), MailLimit.RECIPIENTS, "1001 recipients", "at most 1000");
    server.enqueue(new okhttp3.mockwebserver.MockResponse().setResponseCode(202));
    assertThat(t.sendBatch(recipients(1000)).status()).isEqualTo(SendResult.Status.ACCEPTED);
    String body = server.takeRequest().getBody().readUtf8();
    assertThat(MailSendSchema.published().problems(body)).isEmpty();
  }

  @Test
  void noRecipientTwiceInOneRequestWhateverTheCase() {
    List<Message> batch =
        List.of(message("Ann@example.com").build(), message("ann@EXAMPLE.com").build());
    refused(
        transport(Fixtures.plain()),
        batch,
        MailLimit.DUPLICATE_RECIPIENT,
        "recipient already in this request");
  }

  @Test
  void atMostTenCategories() {
    Function<Message, MailContent> eleven =
        m -> {
          MailContent.Builder b = MailContent.builder(Fixtures.FROM);
          for (int i = 0; i < 10; i++) {
            b.category("extra-" + i);
          }
          return b.build();
        };
    refused(
        transport(eleven),
        List.of(message("ann@example.com").build()),
        MailLimit.CATEGORIES,
        "11 categories",
        "at most 10");
  }

  @Test
  void theMessagesOwnCategoryRepeatedCountsOnce() throws Exception {
    server.enqueue(new okhttp3.mockwebserver.MockResponse().setResponseCode(202));
    Function<Message, MailContent> same =
        m -> MailContent.builder(Fixtures.FROM).category("receipts").build();
    assertThat(transport(same).send(message("ann@example.com").build()).status())
        .isEqualTo(SendResult.Status.ACCEPTED);
    String body = server.takeRequest().getBody().readUtf8();
    assertThat(body).contains("\"categories\":[\"receipts\"]");
  }

  @Test
  void atMostTwentyFiveGroupsToDisplay() {
    int[] groups = IntStream.rangeClosed(1, 26).toArray();
    assertThatThrownBy(() -> AsmGroup.of(1, groups))
        .isInstanceOfSatisfying(
            InvalidMailException.class,
            e -> assertThat(e.limit()).hasValue(MailLimit.GROUPS_TO_DISPLAY))
        .hasMessageContaining("displays 26 groups")
        .hasMessageContaining("at most 25");
    assertThat(AsmGroup.of(1, IntStream.rangeClosed(1, 25).toArray()).groupsToDisplay())
        .hasSize(25);
  }

  @Test
  void customArgsUnderTenThousandBytes() {
    Function<Message, MailContent> big =
        m -> MailContent.builder(Fixtures.FROM).customArg("notes", "é".repeat(5_000)).build();
    refused(
        transport(big),
        List.of(message("ann@example.com").build()),
        MailLimit.CUSTOM_ARGS_BYTES,
        "custom args of",
        "at most 10000");
  }

  @Test
  void atMostThirtyMegabytes() {
    String html = "x".repeat((int) MailLimit.MESSAGE_BYTES.max());
    Function<Message, MailContent> huge =
        m -> MailContent.builder(Fixtures.FROM).subject("s").html(html).build();
    refused(
        transport(huge),
        List.of(message("ann@example.com").templateId(null).build()),
        MailLimit.MESSAGE_BYTES,
        "at most 30 MB");
  }

  @Test
  void sendAtAtMostSeventyTwoHoursAhead() throws Exception {
    Function<Message, MailContent> late =
        m ->
            MailContent.builder(Fixtures.FROM)
                .sendAt(NOW.plus(Duration.ofHours(72)).plusSeconds(1))
                .build();
    refused(
        transport(late),
        List.of(message("ann@example.com").build()),
        MailLimit.SEND_AT_HOURS,
        "more than 72 hours");
  }

  @Test
  void promotionalMailNeedsAnUnsubscribeRoute() throws Exception {
    Message promo = Fixtures.promotional("ann@example.com");
    SendGridTransport t = transport(Fixtures.plain());
    MailSendException e = SendGridTransportTest.failure(t.deliver(promo));
    assertThat(e).isInstanceOf(InvalidMailException.class);
    assertThat(e.getMessage()).contains("no unsubscribe URL (RFC 8058)", "no ASM group");
    assertThat(server.getRequestCount()).isZero();

    // an ASM group alone is enough
    server.enqueue(new okhttp3.mockwebserver.MockResponse().setResponseCode(202));
    SendGridTransport withGroup =
        Fixtures.transport(server, Fixtures.plain(), new Fixtures.Recorder())
            .asmGroup("offers", AsmGroup.of(7))
            .build();
    transports.add(withGroup);
    assertThat(withGroup.send(promo).status()).isEqualTo(SendResult.Status.ACCEPTED);
  }

  @Test
  void oneRequestCarriesOneMail() {
    List<Message> mixed =
        List.of(
            message("ann@example.com").build(),
            message("bob@example.com").kind(MessageKind.OPERATIONAL).build());
    MailSendException e =
        SendGridTransportTest.failure(transport(Fixtures.plain()).deliverBatch(mixed));
    assertThat(e.getMessage()).contains("differs from the first", "kind");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void mailNeedsATemplateOrABodyAndSubject() {
    MailSendException e =
        SendGridTransportTest.failure(
            transport(Fixtures.plain())
                .deliver(message("ann@example.com").templateId(null).build()));
    assertThat(e.getMessage()).contains("neither a template id nor a text or HTML body");
  }

  @Test
  void contentRefusesReservedArgsBadPoolsAndPlainHttpUnsubscribe() {
    MailContent.Builder b = MailContent.builder(Fixtures.FROM);
    assertThatThrownBy(() -> b.customArg("steward_tenant", "x").build())
        .hasMessageContaining("reserved prefix");
    assertThatThrownBy(() -> MailContent.builder(Fixtures.FROM).ipPoolName("p").build())
        .isInstanceOfSatisfying(
            InvalidMailException.class,
            e -> assertThat(e.limit()).hasValue(MailLimit.IP_POOL_NAME_LENGTH));
    assertThatThrownBy(
            () ->
                MailContent.builder(Fixtures.FROM)
                    .unsubscribeUrl(URI.create("http://isv.example/u"))
                    .build())
        .hasMessageContaining("https");
  }

  @Test
  void templateDataOfTheContentIsCheckedLikePersonalisation() {
    Map<String, Object> loop = new HashMap<>();
    loop.put("self", loop); // a map that holds itself
    Function<Message, MailContent> looping =
        m -> MailContent.builder(Fixtures.FROM).templateData(loop).build();
    MailSendException e =
        SendGridTransportTest.failure(
            transport(looping).deliver(message("ann@example.com").build()));
    assertThat(e.getMessage()).contains("dynamic_template_data.self.self", "more than 32 deep");

    Function<Message, MailContent> dated =
        m ->
            MailContent.builder(Fixtures.FROM)
                .templateData(Map.of("renewal", Map.of("on", java.time.LocalDate.of(2027, 1, 1))))
                .build();
    SendResult r = transport(dated).send(message("ann@example.com").build());
    assertThat(r.status()).isEqualTo(SendResult.Status.REJECTED);
    assertThat(r.detail()).contains("dynamic_template_data.renewal.on holds a java.time.LocalDate");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void theValidatorIsLive() {
    MailSendSchema schema = MailSendSchema.published();
    String good =
        "{\"personalizations\":[{\"to\":[{\"email\":\"ann@example.com\"}],"
            + "\"dynamic_template_data\":{\"any\":{\"thing\":1}}}],"
            + "\"from\":{\"email\":\"news@isv.example\"},\"template_id\":\"d-1\","
            + "\"ip_pool_name\":\"pool-1\"}";
    assertThat(schema.problems(good)).isEmpty();
    // a required field misspelt
    assertThat(schema.problems(good.replace("personalizations", "personalisations")))
        .anySatisfy(p -> assertThat(p).contains("personalizations"));
    // an optional field misspelt, at the top and inside a personalization
    assertThat(schema.problems(good.replace("ip_pool_name", "ip_pool_nam")))
        .anySatisfy(p -> assertThat(p).contains("ip_pool_nam"));
    assertThat(schema.problems(good.replace("dynamic_template_data", "dynamic_template")))
        .anySatisfy(p -> assertThat(p).contains("dynamic_template"));
    // a bad address, a one-character pool and an 11th category
    assertThat(schema.problems(good.replace("ann@example.com", "not-an-address"))).isNotEmpty();
    assertThat(schema.problems(good.replace("pool-1", "p"))).isNotEmpty();
    String elevenCategories =
        good.replace(
            "\"template_id\"",
            "\"categories\":["
                + String.join(",", IntStream.range(0, 11).mapToObj(i -> "\"c" + i + "\"").toList())
                + "],\"template_id\"");
    assertThat(schema.problems(elevenCategories)).isNotEmpty();
  }

  @Test
  void aTransportBodyWithAFieldMisspeltFailsTheSchema() throws Exception {
    server.enqueue(new okhttp3.mockwebserver.MockResponse().setResponseCode(202));
    Function<Message, MailContent> pooled =
        m -> MailContent.builder(Fixtures.FROM).ipPoolName("pool-1").build();
    transport(pooled).send(message("ann@example.com").build());
    String body =
        new String(server.takeRequest().getBody().readByteArray(), StandardCharsets.UTF_8);
    MailSendSchema schema = MailSendSchema.published();
    assertThat(schema.problems(body)).isEmpty();
    assertThat(schema.problems(body.replace("\"custom_args\"", "\"customArgs\""))).isNotEmpty();
    assertThat(schema.problems(body.replace("\"ip_pool_name\"", "\"ip_pool\""))).isNotEmpty();
  }
}
