package dev.steward.sendgrid.oai;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The spec check the account API's tests rely on finds what is wrong with a request. */
class OpenApiSpecTest {
  private static final MediaType JSON = MediaType.get("application/json");

  @Test
  void itReportsAMissingRequiredFieldAnUnknownFieldAWrongTypeAndAnUnknownPath() throws Exception {
    OpenApiSpec subusers = OpenApiSpec.of("tsg_subusers_v3.json");
    assertThat(
            subusers.problems(
                send(
                    "POST",
                    "/v3/subusers",
                    "{\"username\":\"a\",\"email\":\"a@b.example\",\"password\":\"x\",\"ips\":[]}")))
        .isEmpty();
    assertThat(
            subusers.problems(
                send(
                    "POST",
                    "/v3/subusers",
                    "{\"username\":\"a\",\"email\":\"a@b.example\",\"ips\":[]}")))
        .anyMatch(p -> p.contains("password"));
    assertThat(
            subusers.problems(
                send("PATCH", "/v3/subusers/a", "{\"disabled\":true,\"suspended\":true}")))
        .anyMatch(p -> p.contains("'suspended' is not in SendGrid's schema"));
    assertThat(
            subusers.problems(
                send(
                    "PUT",
                    "/v3/subusers/a/credits",
                    "{\"type\":\"recurring\",\"reset_frequency\":\"hourly\",\"total\":5}")))
        .anyMatch(p -> p.contains("hourly"));
    assertThat(subusers.problems(send("POST", "/v3/subuser", "{}"))).isNotEmpty();
    OpenApiSpec suppressions = OpenApiSpec.of("tsg_suppressions_v3.json");
    assertThat(suppressions.problems(send("GET", "/v3/suppression/blocks?limit=501", null)))
        .anyMatch(p -> p.contains("limit") || p.contains("501"));
  }

  private static RecordedRequest send(String method, String pathAndQuery, String body)
      throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setResponseCode(204));
      server.start();
      OkHttpClient client = new OkHttpClient();
      Request request =
          new Request.Builder()
              .url(server.url(pathAndQuery))
              .header("Authorization", "Bearer test")
              .method(method, body == null ? null : RequestBody.create(body, JSON))
              .build();
      try (Response r = client.newCall(request).execute()) {
        assertThat(r.code()).isEqualTo(204);
      }
      client.connectionPool().evictAll();
      return server.takeRequest();
    }
  }
}
