package dev.steward.onboarding;

import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the labelled sample emails of {@code onboarding/samples.txt}. */
final class LabelledSamples {
  private static final Pattern FROM = Pattern.compile("^(.*?)\\s*<([^>]+)>$");

  /** A sample with its label and the tenant it came from. */
  record Labelled(
      String id, boolean bad, String category, SampleEmail email, ReviewContext context) {}

  private LabelledSamples() {}

  static List<Labelled> load() {
    String text;
    try (InputStream in = LabelledSamples.class.getResourceAsStream("/onboarding/samples.txt")) {
      if (in == null) {
        throw new IllegalStateException("onboarding/samples.txt is missing");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Labelled> out = new ArrayList<>();
    String[] parts = text.split("(?m)^=== ");
    for (int i = 1; i < parts.length; i++) {
      out.add(parse(parts[i]));
    }
    return out;
  }

  private static Labelled parse(String block) {
    int nl = block.indexOf('\n');
    String id = block.substring(0, nl).strip();
    String rest = block.substring(nl + 1);
    int blank = rest.indexOf("\n\n");
    String head = rest.substring(0, blank);
    String body = rest.substring(blank + 2).strip();
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : head.split("\n")) {
      int colon = line.indexOf(':');
      fields.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
    }
    String label = take(fields, id, "Label");
    String category = take(fields, id, "Category");
    MessageKind kind = MessageKind.valueOf(take(fields, id, "Kind"));
    String tenant = take(fields, id, "Tenant");
    List<String> domains =
        Arrays.stream(take(fields, id, "Tenant-Domains").split(",")).map(String::strip).toList();
    UnsubscribeMechanism mechanism = UnsubscribeMechanism.valueOf(take(fields, id, "Mechanism"));
    Matcher from = FROM.matcher(take(fields, id, "From"));
    if (!from.matches()) {
      throw new IllegalStateException(id + ": From must be 'Name <address>'");
    }
    SampleEmail.Builder b =
        SampleEmail.builder(EmailAddress.of(from.group(2)), take(fields, id, "Subject"), kind)
            .fromName(from.group(1));
    fields.forEach(b::header);
    if (body.startsWith("<")) {
      b.html(body);
    } else {
      b.text(body);
    }
    if (!label.equals("good") && !label.equals("bad")) {
      throw new IllegalStateException(id + ": Label must be good or bad, was " + label);
    }
    return new Labelled(
        id,
        label.equals("bad"),
        category,
        b.build(),
        new ReviewContext(tenant, new LinkedHashSet<>(domains), java.util.Optional.of(mechanism)));
  }

  private static String take(Map<String, String> fields, String id, String name) {
    String v = fields.remove(name);
    if (v == null) {
      throw new IllegalStateException(id + ": no " + name + " line");
    }
    return v;
  }
}
