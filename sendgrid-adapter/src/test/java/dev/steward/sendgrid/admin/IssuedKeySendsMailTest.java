package dev.steward.sendgrid.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.SendResult;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.sendgrid.mail.MailContent;
import dev.steward.sendgrid.mail.Region;
import dev.steward.sendgrid.mail.SendGridCredentialStore;
import dev.steward.sendgrid.mail.SendGridTransport;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * Onboarding to sending: the key issued on behalf of the tenant's subuser is the one the transport
 * sends the tenant's mail with (Mail Send takes no {@code on-behalf-of}), and a tenant without an
 * issued key sends nothing.
 */
class IssuedKeySendsMailTest {
  private static final String ISSUED = "SG.issued-for-acme.Kp2-only-in-headers";

  @Test
  void theTransportSendsWithTheKeyIssuedForTheTenant() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(
          new MockResponse()
              .setResponseCode(201)
              .setBody(
                  "{\"api_key\":\""
                      + ISSUED
                      + "\",\"api_key_id\":\"k1\",\"scopes\":[\"mail.send\"]}"));
      server.enqueue(new MockResponse().setBody("{\"result\":[]}"));
      server.enqueue(new MockResponse().setResponseCode(202).addHeader("X-Message-Id", "sg-1"));
      SendGridCredentialStore store = SendGridCredentialStore.inMemory();
      TenantId acme = TenantId.of("acme");

      try (SendGridAdmin admin = AdminFixtures.admin(server, new AdminFixtures.Waits());
          SendGridTransport transport =
              SendGridTransport.builder(
                      AdminFixtures.CLOCK,
                      store,
                      m -> MailContent.builder(EmailAddress.of("news@isv.example")).build())
                  .endpoint(Region.GLOBAL, server.url("/").uri())
                  .build()) {
        admin.apiKeys().issueSendingKey(acme, "tenant-acme", Region.GLOBAL, store);

        SendResult sent = transport.send(message(acme));
        SendResult other = transport.send(message(TenantId.of("not-onboarded")));

        assertThat(sent.status()).isEqualTo(SendResult.Status.ACCEPTED);
        assertThat(other.status()).isEqualTo(SendResult.Status.REJECTED);
        assertThat(other.detail()).startsWith("NO_CREDENTIALS");
      }
      RecordedRequest issue = server.takeRequest();
      assertThat(issue.getPath()).isEqualTo("/v3/api_keys");
      assertThat(server.takeRequest().getPath()).isEqualTo("/v3/api_keys?limit=100");
      RecordedRequest send = server.takeRequest();
      assertThat(send.getPath()).isEqualTo("/v3/mail/send");
      assertThat(send.getHeader("Authorization")).isEqualTo("Bearer " + ISSUED);
      assertThat(send.getHeader("on-behalf-of")).isNull();
      assertThat(server.getRequestCount()).isEqualTo(3);
    }
  }

  private static Message message(TenantId tenant) {
    return Message.builder()
        .tenant(tenant)
        .account(AccountId.of("acct-1"))
        .contact(ContactId.of("contact-ann"))
        .to("ann@customer.example")
        .kind(MessageKind.TRANSACTIONAL)
        .category("receipts")
        .source(Source.BILLING)
        .templateId("d-0123456789abcdef")
        .createdAt(AdminFixtures.NOW)
        .build();
  }
}
