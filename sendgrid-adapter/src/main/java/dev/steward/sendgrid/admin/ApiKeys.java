package dev.steward.sendgrid.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.model.TenantId;
import dev.steward.sendgrid.internal.ApiClient;
import dev.steward.sendgrid.internal.ApiRequest;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.Region;
import dev.steward.sendgrid.mail.SendGridCredentialStore;
import dev.steward.sendgrid.mail.TenantCredential;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys ({@code POST /v3/api_keys}): each tenant's sending key, created with the parent key
 * {@code on-behalf-of} the tenant's subuser so that it belongs to the subuser, with the one scope
 * {@value #MAIL_SEND}. Mail Send refuses the parent key with {@code on-behalf-of}, so this key is
 * what the transport sends the tenant's mail with: {@link #issueSendingKey} puts it in the
 * credentials store the transport reads. SendGrid shows a key once, at creation.
 */
public final class ApiKeys {
  private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

  /** The one scope of a sending key. */
  public static final String MAIL_SEND = "mail.send";

  /**
   * Scopes SendGrid adds to every new key by itself; they grant no API power, so they are not
   * counted against a sending key's one scope.
   */
  static final List<String> MANAGED_SCOPES =
      List.of("sender_verification_eligible", "2fa_required");

  private final ApiClient api;

  ApiKeys(ApiClient api) {
    this.api = api;
  }

  /**
   * A key created for a subuser. Its {@code toString()} is redacted, as the key's is.
   *
   * @param keyId SendGrid's id of the key (to revoke it)
   * @param name the key's name
   * @param scopes its scopes as SendGrid answered them
   * @param key the key itself
   */
  public record CreatedKey(String keyId, String name, List<String> scopes, ApiKey key) {
    /** Checks the parts and copies the scopes. */
    public CreatedKey {
      Objects.requireNonNull(keyId, "keyId");
      Objects.requireNonNull(name, "name");
      scopes = List.copyOf(scopes);
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * Creates a {@value #MAIL_SEND} key owned by {@code subuser}. Not repeated on an ambiguous
   * failure (a second key would be created).
   *
   * @throws SendGridApiException when the call failed, or SendGrid answered with no key or with
   *     scopes beyond {@value #MAIL_SEND} (SendGrid's own {@code sender_verification_eligible} and
   *     {@code 2fa_required} aside); a key refused so is revoked first
   */
  public CreatedKey createSendingKey(String subuser, String name) {
    Names.subuser(subuser);
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.length() > 100) {
      throw new IllegalArgumentException("API key name must be 1 to 100 characters");
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("name", name);
    body.putArray("scopes").add(MAIL_SEND);
    String operation = "create sending key";
    JsonNode answer =
        api.call(
            ApiRequest.withBody(
                operation, "POST", Optional.of(subuser), body, false, "v3", "api_keys"));
    JsonNode key = answer.path("api_key");
    JsonNode id = answer.path("api_key_id");
    if (!key.isTextual() || !id.isTextual()) {
      throw EventWebhooks.unexpected(operation, "the answer has no api_key or api_key_id");
    }
    List<String> scopes = new ArrayList<>();
    answer.path("scopes").forEach(s -> scopes.add(s.asText()));
    List<String> granted = new ArrayList<>(scopes);
    granted.removeAll(MANAGED_SCOPES);
    if (!granted.isEmpty() && !granted.equals(List.of(MAIL_SEND))) {
      String why = "SendGrid gave the key scopes " + scopes + ", not only " + MAIL_SEND;
      throw EventWebhooks.unexpected(operation, why + revoke(subuser, id.asText()));
    }
    ApiKey apiKey;
    try {
      apiKey = ApiKey.of(key.asText());
    } catch (IllegalArgumentException e) {
      throw EventWebhooks.unexpected(
          operation,
          "SendGrid's key is not usable: " + e.getMessage() + revoke(subuser, id.asText()));
    }
    return new CreatedKey(id.asText(), answer.path("name").asText(name), scopes, apiKey);
  }

  /**
   * Revokes a key this class made and will not hand out ({@code DELETE /v3/api_keys/{id}} on behalf
   * of its subuser), so no live key is left that nobody holds; what became of it, for the failure's
   * message. Never throws: the caller's failure is the one to report.
   */
  private String revoke(String subuser, String keyId) {
    if (keyId.isBlank() || keyId.equals(".") || keyId.equals("..") || keyId.length() > 200) {
      log.error(
          "SendGrid answered a key id that cannot be revoked; revoke the subuser's key by hand");
      return "; its id is unusable, so the key could not be revoked";
    }
    try {
      api.call(
          ApiRequest.withoutBody(
              "revoke key", "DELETE", Optional.of(subuser), true, "v3", "api_keys", keyId));
      log.info("revoked SendGrid key {} (subuser {}), which was not kept", keyId, subuser);
      return "; the key (" + keyId + ") was revoked";
    } catch (RuntimeException e) {
      log.error(
          "SendGrid key {} (subuser {}) was not kept and could not be revoked: {}; revoke it by"
              + " hand",
          keyId,
          subuser,
          e.getMessage());
      return "; revoking the key (" + keyId + ") failed too: " + e.getMessage();
    }
  }

  /**
   * Creates the tenant's sending key for its subuser ({@link #createSendingKey}, named {@code
   * steward-<tenant>}) and stores it in {@code store} as the tenant's credential in {@code region},
   * replacing any earlier one. Returns SendGrid's id of the key. When {@code store} fails to keep
   * it, the key is revoked at SendGrid and the store's exception is thrown, and the tenant's older
   * keys stay live (the store still holds one of them).
   *
   * <p>A re-issue: once the store holds the new key, and not before, the subuser's older keys of
   * the same name are revoked, so a key replaced (say, one that leaked) stops working. A revocation
   * that fails is logged with the key's id and does not fail the issue: the new key is stored and
   * in use; issuing again revokes what is left.
   */
  public String issueSendingKey(
      TenantId tenant, String subuser, Region region, SendGridCredentialStore store) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(store, "store");
    String full = "steward-" + tenant.value();
    String name = full.length() > 100 ? full.substring(0, 100) : full;
    CreatedKey created = createSendingKey(subuser, name);
    try {
      store.put(tenant, new TenantCredential(created.key(), region));
    } catch (RuntimeException e) {
      String what = revoke(subuser, created.keyId());
      e.addSuppressed(
          new IllegalStateException("the credential store did not keep the new key" + what));
      throw e;
    }
    log.info(
        "issued SendGrid sending key {} for tenant {} (subuser {})",
        created.keyId(),
        tenant,
        subuser);
    revokeOlder(subuser, name, created.keyId());
    return created.keyId();
  }

  /** The most keys read in one list: SendGrid lets an account hold 100. */
  static final int KEY_LIST_LIMIT = 100;

  /** Revokes the subuser's keys named {@code name} other than {@code keep}; never throws. */
  private void revokeOlder(String subuser, String name, String keep) {
    String operation = "list keys";
    JsonNode answer;
    try {
      answer =
          api.call(
              ApiRequest.get(
                  operation,
                  Optional.of(subuser),
                  Map.of("limit", Integer.toString(KEY_LIST_LIMIT)),
                  "v3",
                  "api_keys"));
    } catch (RuntimeException e) {
      log.warn(
          "SendGrid keys of subuser {} could not be listed, so keys older than {} are not revoked:"
              + " {}; issue again or revoke them by hand",
          subuser,
          keep,
          e.getMessage());
      return;
    }
    for (JsonNode k : answer.path("result")) {
      String id = k.path("api_key_id").asText("");
      if (!k.path("name").asText("").equals(name) || id.isEmpty() || id.equals(keep)) {
        continue;
      }
      if (id.contains("/") || id.equals(".") || id.equals("..") || id.length() > 200) {
        log.warn("SendGrid listed a key id of subuser {} that cannot be revoked", subuser);
        continue;
      }
      try {
        api.call(
            ApiRequest.withoutBody(
                "revoke replaced key", "DELETE", Optional.of(subuser), true, "v3", "api_keys", id));
        log.info(
            "revoked SendGrid sending key {} of subuser {}, replaced by {}", id, subuser, keep);
      } catch (RuntimeException e) {
        log.warn(
            "SendGrid sending key {} of subuser {} was replaced by {} but could not be revoked: {};"
                + " issue again or revoke it by hand",
            id,
            subuser,
            keep,
            e.getMessage());
      }
    }
  }
}
