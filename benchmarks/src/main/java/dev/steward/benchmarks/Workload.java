package dev.steward.benchmarks;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The stream of (contact, category) draws both sides decide on: drawn once from a fixed seed before
 * measuring, so the random draw is not measured and every run sees the same sequence.
 */
public final class Workload {

  /** Distinct contacts the draws spread over. */
  public static final int CONTACTS = 100_000;

  /** Message categories, drawn with the weights of {@link #CATEGORY_WEIGHTS}. */
  public static final List<String> CATEGORIES =
      List.of("product-updates", "newsletter", "onboarding", "billing");

  /** Relative weights of the categories: mostly product and newsletter mail. */
  private static final int[] CATEGORY_WEIGHTS = {4, 3, 2, 1};

  /** Length of the precomputed stream; a power of two so positions wrap with a mask. */
  public static final int STREAM_LENGTH = 1 << 22;

  private static final int MASK = STREAM_LENGTH - 1;
  private static final long SEED = 20_261_123L;

  private final int[] contacts = new int[STREAM_LENGTH];
  private final byte[] categories = new byte[STREAM_LENGTH];
  private final String[] contactIds = new String[CONTACTS];
  private final String[] categoryKeys = new String[CONTACTS * CATEGORIES.size()];

  /** Contacts a mostly-refused stream spreads over (see {@link #hot()}). */
  public static final int HOT_CONTACTS = 1_000;

  /** Draws the stream over all {@link #CONTACTS} and names every contact and category key. */
  public Workload() {
    this(CONTACTS);
  }

  /**
   * The stream over the first {@link #HOT_CONTACTS} contacts only: each is asked about every
   * thousand decisions (about an hour of simulated time), so nearly every decision meets a cap
   * already full, the steady state of a 2-per-week cap (about 99 % refusals).
   */
  public static Workload hot() {
    return new Workload(HOT_CONTACTS);
  }

  /** The stream named by a benchmark parameter: {@code "spread"} or {@code "hot"}. */
  public static Workload of(String stream) {
    return switch (stream) {
      case "spread" -> new Workload();
      case "hot" -> hot();
      default -> throw new IllegalArgumentException("unknown stream '" + stream + "'");
    };
  }

  /** Draws the stream over the first {@code active} contacts; names every contact and key. */
  public Workload(int active) {
    if (active < 1 || active > CONTACTS) {
      throw new IllegalArgumentException("active contacts must be 1 to " + CONTACTS);
    }
    SplittableRandom random = new SplittableRandom(SEED);
    int totalWeight = 0;
    for (int w : CATEGORY_WEIGHTS) {
      totalWeight += w;
    }
    for (int i = 0; i < STREAM_LENGTH; i++) {
      contacts[i] = random.nextInt(active);
      int r = random.nextInt(totalWeight);
      byte c = 0;
      while (r >= CATEGORY_WEIGHTS[c]) {
        r -= CATEGORY_WEIGHTS[c];
        c++;
      }
      categories[i] = c;
    }
    for (int i = 0; i < CONTACTS; i++) {
      contactIds[i] = "contact-" + i;
      for (int c = 0; c < CATEGORIES.size(); c++) {
        categoryKeys[i * CATEGORIES.size() + c] = contactIds[i] + "/" + CATEGORIES.get(c);
      }
    }
  }

  /** The contact index at stream position {@code position} (wrapping). */
  public int contact(int position) {
    return contacts[position & MASK];
  }

  /** The category index at stream position {@code position} (wrapping). */
  public int category(int position) {
    return categories[position & MASK];
  }

  /** The contact's id, as both sides key it. */
  public String contactId(int contact) {
    return contactIds[contact];
  }

  /** The key of one contact's bucket for one category (Bucket4j side). */
  public String categoryKey(int contact, int category) {
    return categoryKeys[contact * CATEGORIES.size() + category];
  }
}
