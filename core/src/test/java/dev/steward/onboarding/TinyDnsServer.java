package dev.steward.onboarding;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS server on 127.0.0.1 answering A and TXT questions from a map, for testing {@link
 * JndiDnsResolver} over a real socket: unknown names get NXDOMAIN, names marked silent get no
 * answer at all. Just enough of RFC 1035 for one question per query.
 */
final class TinyDnsServer implements AutoCloseable {
  private final DatagramSocket socket;
  private final Map<String, List<String>> records = new ConcurrentHashMap<>();
  private final Set<String> silent = ConcurrentHashMap.newKeySet();
  private final AtomicInteger queries = new AtomicInteger();
  private final Thread thread;

  TinyDnsServer() throws SocketException {
    socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    thread = new Thread(this::serve, "tiny-dns");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  int queries() {
    return queries.get();
  }

  TinyDnsServer set(String name, String type, String... values) {
    records.put(name.toLowerCase(Locale.ROOT) + " " + type, List.of(values));
    return this;
  }

  TinyDnsServer silent(String name) {
    silent.add(name.toLowerCase(Locale.ROOT));
    return this;
  }

  private void serve() {
    byte[] buf = new byte[512];
    while (!socket.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
        queries.incrementAndGet();
        byte[] reply = answer(p.getData(), p.getLength());
        if (reply != null) {
          socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
        }
      } catch (IOException e) {
        return;
      }
    }
  }

  private byte[] answer(byte[] q, int len) {
    int pos = 12;
    StringBuilder name = new StringBuilder();
    while (q[pos] != 0) {
      int l = q[pos] & 0xff;
      name.append(name.length() == 0 ? "" : ".")
          .append(new String(q, pos + 1, l, StandardCharsets.US_ASCII));
      pos += l + 1;
    }
    pos++;
    int qtype = ((q[pos] & 0xff) << 8) | (q[pos + 1] & 0xff);
    int questionEnd = pos + 4;
    String n = name.toString().toLowerCase(Locale.ROOT);
    if (silent.contains(n)) {
      return null;
    }
    String type = qtype == 1 ? "A" : qtype == 16 ? "TXT" : "?";
    List<String> values = records.get(n + " " + type);
    boolean exists = records.keySet().stream().anyMatch(k -> k.startsWith(n + " "));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(q[0]);
    out.write(q[1]);
    out.write(0x81);
    out.write(exists ? 0x80 : 0x83);
    int an = values == null ? 0 : values.size();
    out.writeBytes(new byte[] {0, 1, 0, (byte) an, 0, 0, 0, 0});
    out.write(q, 12, questionEnd - 12);
    for (int i = 0; i < an; i++) {
      out.writeBytes(new byte[] {(byte) 0xc0, 12, 0, (byte) qtype, 0, 1, 0, 0, 0, 60});
      byte[] rdata = qtype == 1 ? ipv4(values.get(i)) : txt(values.get(i));
      out.write(rdata.length >> 8);
      out.write(rdata.length & 0xff);
      out.writeBytes(rdata);
    }
    return out.toByteArray();
  }

  private static byte[] ipv4(String dotted) {
    String[] p = dotted.split("\\.");
    return new byte[] {
      (byte) Integer.parseInt(p[0]),
      (byte) Integer.parseInt(p[1]),
      (byte) Integer.parseInt(p[2]),
      (byte) Integer.parseInt(p[3])
    };
  }

  /** TXT rdata: the value split in chunks at '|' (to test chunk joining). */
  private static byte[] txt(String value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String chunk : value.split("\\|")) {
      byte[] b = chunk.getBytes(StandardCharsets.US_ASCII);
      out.write(b.length);
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    socket.close();
  }
}
