package dev.steward.benchmarks;

import com.sendgrid.Method;
import com.sendgrid.Request;
import com.sendgrid.Response;
import com.sendgrid.SendGrid;
import com.sendgrid.helpers.mail.Mail;
import com.sendgrid.helpers.mail.objects.Email;
import com.sendgrid.helpers.mail.objects.Personalization;
import com.sun.net.httpserver.HttpServer;
import dev.steward.delivery.SendResult;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.MailContent;
import dev.steward.sendgrid.mail.Region;
import dev.steward.sendgrid.mail.SendGridCredentials;
import dev.steward.sendgrid.mail.SendGridTransport;
import dev.steward.sendgrid.mail.TenantCredential;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Mail Send requests per second with 4 threads against a loopback HTTP server (the JDK's own,
 * answering 202 with an {@code X-Message-Id} as SendGrid does), side by side:
 *
 * <ul>
 *   <li>{@code steward}: {@link SendGridTransport#send} of a templated message with
 *       personalisation, Steward's custom args and a category (body built per request);
 *   <li>{@code sdk}: the SendGrid SDK's default client ({@code new SendGrid(key)}, here in its test
 *       mode for plain HTTP, {@code SendGrid.api}) sending the same mail built with the SDK's mail
 *       model, per request;
 *   <li>{@code plainOkHttp}: a plain OkHttp client posting a body built once: the floor.
 * </ul>
 *
 * <p>Bytes allocated per request: run with {@code -prof gc} and read {@code gc.alloc.rate.norm}.
 * The profiler counts every thread of the JVM, so it includes the loopback server's own share (the
 * same for all three) and OkHttp's dispatcher threads (part of the client's cost); the difference
 * between two rows is the difference between the clients.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar MailSendBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(4)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class MailSendBenchmark {
  private static final String KEY = "SG.benchmark-key";
  private static final String TEMPLATE = "d-0123456789abcdef";
  private static final MediaType JSON = MediaType.get("application/json");

  private HttpServer server;
  private ExecutorService serverThreads;
  private SendGridTransport steward;
  private SendGrid sdk;
  private OkHttpClient okHttp;
  private okhttp3.HttpUrl okHttpUrl;
  private byte[] readyBody;
  private Message message;

  /** Starts the loopback server and the three clients. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    server.createContext(
        "/v3/mail/send",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
          }
          exchange.getResponseHeaders().add("X-Message-Id", "benchmark.filter0001");
          exchange.sendResponseHeaders(202, -1);
          exchange.close();
        });
    serverThreads =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r, "loopback-sendgrid");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(serverThreads);
    server.start();
    String hostPort = "127.0.0.1:" + server.getAddress().getPort();

    EmailAddress from = EmailAddress.of("news@isv.example");
    steward =
        SendGridTransport.builder(
                Clock.systemUTC(),
                SendGridCredentials.single(TenantCredential.of(ApiKey.of(KEY))),
                m -> MailContent.builder(from).build())
            .endpoint(Region.GLOBAL, URI.create("http://" + hostPort))
            .build();
    message =
        Message.builder()
            .tenant(TenantId.of("tenant-1"))
            .account(AccountId.of("acct-9"))
            .contact(ContactId.of("contact-1"))
            .to("ann@example.com")
            .kind(MessageKind.EDUCATIONAL)
            .category("onboarding")
            .source(Source.journey("csm", "welcome", "day-3"))
            .templateId(TEMPLATE)
            .personalisation(Map.of("name", "Ann", "plan", "pro", "tips", List.of("a", "b", "c")))
            .createdAt(Instant.parse("2026-11-27T14:00:00Z"))
            .build();

    // the SDK's test mode is its default client over http instead of https
    sdk = new SendGrid(KEY, true);
    sdk.setHost(hostPort);

    okHttp = new OkHttpClient();
    okHttpUrl = okhttp3.HttpUrl.get("http://" + hostPort + "/v3/mail/send");
    readyBody = sdkMail().build().getBytes(StandardCharsets.UTF_8);
  }

  /** Stops the clients and the server. */
  @TearDown(Level.Trial)
  public void tearDown() {
    steward.close();
    okHttp.dispatcher().executorService().shutdown();
    okHttp.connectionPool().evictAll();
    server.stop(0);
    serverThreads.shutdownNow();
  }

  /** Steward's transport: message to request, sent, answer read. */
  @Benchmark
  public SendResult steward() {
    SendResult r = steward.send(message);
    if (r.status() != SendResult.Status.ACCEPTED) {
      throw new IllegalStateException("not accepted: " + r);
    }
    return r;
  }

  /** The SDK: mail model to JSON, sent through {@code SendGrid.api}. */
  @Benchmark
  public int sdk() throws IOException {
    Request request = new Request();
    request.setMethod(Method.POST);
    request.setEndpoint("mail/send");
    request.setBody(sdkMail().build());
    Response response = sdk.api(request);
    if (response.getStatusCode() != 202) {
      throw new IllegalStateException("not accepted: " + response.getStatusCode());
    }
    return response.getStatusCode();
  }

  /** Plain OkHttp posting a body built once: what any client on it pays at least. */
  @Benchmark
  public int plainOkHttp() throws IOException {
    okhttp3.Request request =
        new okhttp3.Request.Builder()
            .url(okHttpUrl)
            .header("Authorization", "Bearer " + KEY)
            .post(RequestBody.create(readyBody, JSON))
            .build();
    try (okhttp3.Response response = okHttp.newCall(request).execute()) {
      if (response.code() != 202) {
        throw new IllegalStateException("not accepted: " + response.code());
      }
      return response.code();
    }
  }

  /** The same mail as Steward's, in the SDK's model. */
  private Mail sdkMail() {
    Mail mail = new Mail();
    mail.setFrom(new Email("news@isv.example"));
    mail.setTemplateId(TEMPLATE);
    mail.addCategory("onboarding");
    Personalization p = new Personalization();
    p.addTo(new Email("ann@example.com"));
    p.addDynamicTemplateData("name", "Ann");
    p.addDynamicTemplateData("plan", "pro");
    p.addDynamicTemplateData("tips", List.of("a", "b", "c"));
    p.addCustomArg("steward_message_id", message.id().value());
    p.addCustomArg("steward_tenant", "tenant-1");
    p.addCustomArg("steward_account", "acct-9");
    p.addCustomArg("steward_contact", "contact-1");
    p.addCustomArg("steward_journey_step", "welcome/day-3");
    mail.addPersonalization(p);
    return mail;
  }
}
