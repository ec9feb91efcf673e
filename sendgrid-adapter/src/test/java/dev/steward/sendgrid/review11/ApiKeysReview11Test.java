package dev.steward.sendgrid.review11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.steward.model.TenantId;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.Region;
import dev.steward.sendgrid.mail.RetryPolicy;
import dev.steward.sendgrid.mail.SendGridCredentialStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hostile review of ApiKeys' sending-key creation. */
class ApiKeysReview11Test {
  private static final TenantId ACME = TenantId.of("acme");
  private static final String CREATED_KEY = "SG.created-Review11.key-value-Xy9";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-02T09:00:00Z"), ZoneOffset.UTC);

  private final MockWebServer server = new MockWebServer();
  private SendGridAdmin admin;

  @BeforeEach
  void start() throws Exception {
    server.start();
    admin =
        SendGridAdmin.builder(CLOCK, ApiKey.of("SG.parent.review11-keys"))
            .endpoint(server.url("/").uri())
            .retryPolicy(RetryPolicy.none())
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    server.shutdown();
  }

  /**
   * SendGrid adds scopes of its own to every new key (sender_verification_eligible, 2fa_required,
   * sender_verification_exempt: see kenzo0107/terraform-provider-sendgrid#62 and #118, which had to
   * treat them as SendGrid-managed). They grant no API power, but createSendingKey refuses any
   * answer whose scopes are not exactly [mail.send], so on the real service every tenant's key
   * issuance fails with UNEXPECTED_ANSWER after the key was made.
   */
  @Test
  void sendGridsAutoAssignedScopesDoNotFailTheIssuance() {
    server.enqueue(
        new MockResponse()
            .setResponseCode(201)
            .setBody(
                "{\"api_key\":\""
                    + CREATED_KEY
                    + "\",\"api_key_id\":\"kid-1\",\"name\":\"steward-acme\",\"scopes\":"
                    + "[\"mail.send\",\"sender_verification_eligible\",\"2fa_required\"]}"));
    server.enqueue(new MockResponse().setBody("{\"result\":[]}"));
    SendGridCredentialStore store = SendGridCredentialStore.inMemory();

    Throwable t =
        catchThrowable(
            () -> admin.apiKeys().issueSendingKey(ACME, "tenant-acme", Region.GLOBAL, store));

    assertThat(t).as("issuance failure").isNull();
    assertThat(store.forTenant(ACME)).isPresent();
  }

  /**
   * When SendGrid answers a key with more power than mail.send the adapter refuses it, but the key
   * exists and is live at SendGrid: nothing revokes it, nobody holds its id, and each retry of the
   * onboarding step makes another. A refused key must be deleted (DELETE /v3/api_keys/{id}).
   */
  @Test
  void aRefusedKeyIsRevokedNotLeftLiveAtSendGrid() throws Exception {
    server.enqueue(
        new MockResponse()
            .setResponseCode(201)
            .setBody(
                "{\"api_key\":\""
                    + CREATED_KEY
                    + "\",\"api_key_id\":\"kid-1\",\"scopes\":[\"mail.send\",\"user.profile.read\"]}"));
    server.enqueue(new MockResponse().setResponseCode(204));

    catchThrowable(
        () ->
            admin
                .apiKeys()
                .issueSendingKey(
                    ACME, "tenant-acme", Region.GLOBAL, SendGridCredentialStore.inMemory()));

    assertThat(server.getRequestCount())
        .as("requests: the create, then its revocation")
        .isEqualTo(2);
    server.takeRequest();
    RecordedRequest revoke = server.takeRequest();
    assertThat(revoke.getMethod() + " " + revoke.getPath()).isEqualTo("DELETE /v3/api_keys/kid-1");
  }

  /**
   * The secret store fails to keep the new key (the ISV's vault is down): issueSendingKey throws,
   * but the key it made is live at SendGrid, held by nobody and never revoked; each retry of the
   * step adds another live mail.send key. The made key must be revoked when it cannot be kept.
   */
  @Test
  void aKeyTheStoreCouldNotKeepIsRevoked() throws Exception {
    server.enqueue(
        new MockResponse()
            .setResponseCode(201)
            .setBody(
                "{\"api_key\":\""
                    + CREATED_KEY
                    + "\",\"api_key_id\":\"kid-2\",\"scopes\":[\"mail.send\"]}"));
    server.enqueue(new MockResponse().setResponseCode(204));
    SendGridCredentialStore vault =
        new SendGridCredentialStore() {
          @Override
          public void put(TenantId tenant, dev.steward.sendgrid.mail.TenantCredential c) {
            throw new IllegalStateException("vault unavailable");
          }

          @Override
          public boolean remove(TenantId tenant) {
            return false;
          }

          @Override
          public java.util.Optional<dev.steward.sendgrid.mail.TenantCredential> forTenant(
              TenantId tenant) {
            return java.util.Optional.empty();
          }
        };

    Throwable t =
        catchThrowable(
            () -> admin.apiKeys().issueSendingKey(ACME, "tenant-acme", Region.GLOBAL, vault));

    assertThat(t).hasMessageContaining("vault unavailable");
    assertThat(server.getRequestCount())
        .as("requests: the create, then its revocation")
        .isEqualTo(2);
    server.takeRequest();
    RecordedRequest revoke = server.takeRequest();
    assertThat(revoke.getMethod() + " " + revoke.getPath()).isEqualTo("DELETE /v3/api_keys/kid-2");
  }
}
