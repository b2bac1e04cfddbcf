package io.saccade.runtime.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads batches of clips on background threads, ahead of the training step, in an order that depends
 * only on the seed and the epoch.
 *
 * <pre>{@code
 * try (ClipLoader loader = ClipLoader.builder(dataset).batchSize(16).threads(2).seed(7).build()) {
 *   for (int epoch = 0; epoch < epochs; epoch++) {
 *     try (ClipLoader.Epoch batches = loader.epoch(epoch)) {
 *       while (batches.hasNext()) {
 *         ClipBatch b = batches.next();          // [16, T, H, W, 3]
 *         ...
 *       }
 *       System.out.println(batches.report());    // "epoch 0: 64 batches, 1024 clips, 0 skipped"
 *     }
 *   }
 * }
 * }</pre>
 *
 * <h2>Order and determinism</h2>
 * Epoch {@code e} visits the dataset in a permutation drawn from {@code (seed, e)} (identity when
 * shuffling is off); batch {@code b} holds plan positions {@code [b·N, (b+1)·N)}. A training sample's
 * augmentation is seeded by {@code (seed, e, index)}. So the batches of an epoch are the same whatever
 * the number of threads, and {@link #epoch(int, int) epoch(e, b)} resumes an interrupted epoch at batch
 * {@code b} with exactly the data an uninterrupted run would have seen.
 *
 * <h2>Threads and memory</h2>
 * {@code threads} workers decode samples (each sample of a batch is one task); at most
 * {@code prefetch} batches are loaded ahead of the one the caller holds. {@link #close()} stops the
 * workers.
 *
 * <h2>Bad samples</h2>
 * A sample whose load throws {@link BadSampleException} (missing or corrupt frame, ...) is logged at
 * WARN with its file (and list line) the first time it fails ({@link #badSamples()}), counted in {@link Epoch#skipped()} and {@link #skipped()}, and its row
 * is filled with the next loadable sample of the plan, marked invalid ({@link ClipBatch#isValid(int)}),
 * so the batch keeps its size. Videos rejected when the dataset was opened (bad list lines, unknown
 * labels) are counted in {@link #rejected()} and repeated in every epoch report. Only when
 * {@value #MAX_SUBSTITUTES} samples in a row fail does loading stop, with an exception.
 */
public final class ClipLoader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClipLoader.class);

  /** Consecutive failing samples after which the data is considered broken rather than noisy. */
  public static final int MAX_SUBSTITUTES = 64;

  /** Messages kept per epoch report (all are logged and counted). */
  private static final int REPORTED_MESSAGES = 5;

  /** What to do with the last, incomplete batch of an epoch. */
  public enum Remainder {
    /** Leave those samples out (training default: every batch has N rows). */
    DROP,
    /** A smaller last batch. */
    KEEP,
    /** Fill the last batch to N rows with copies of its first row, marked invalid (evaluation default). */
    PAD
  }

  private final VideoDataset dataset;
  private final int batchSize;
  private final int threads;
  private final int prefetch;
  private final boolean training;
  private final boolean shuffle;
  private final long seed;
  private final Remainder remainder;
  private final int clips;
  private final int crops;
  private final ExecutorService workers;
  private final AtomicLong skipped = new AtomicLong();
  /** The first message of each bad sample (by dataset index), in the order they were met: each is logged once. */
  private final Map<Integer, String> bad = Collections.synchronizedMap(new LinkedHashMap<>());
  private volatile boolean closed;

  private ClipLoader(Builder b) {
    this.dataset = b.dataset;
    this.batchSize = b.batchSize;
    this.threads = b.threads;
    this.prefetch = b.prefetch > 0 ? b.prefetch : 2 * b.threads;
    this.training = b.training;
    this.shuffle = b.shuffle != null ? b.shuffle : b.training;
    this.seed = b.seed;
    this.remainder = b.remainder != null ? b.remainder : (b.training ? Remainder.DROP : Remainder.PAD);
    this.clips = b.clips;
    this.crops = b.crops;
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "saccade-loader-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.workers = Executors.newFixedThreadPool(threads, factory);
    if (!dataset.rejected().isEmpty()) {
      LOG.warn("{} video(s) were rejected when the dataset was opened; first: {}",
          dataset.rejected().size(), dataset.rejected().get(0).getMessage());
    }
  }

  /** A builder over {@code dataset}. */
  public static Builder builder(VideoDataset dataset) {
    return new Builder(dataset);
  }

  public VideoDataset dataset() {
    return dataset;
  }

  public int batchSize() {
    return batchSize;
  }

  public int threads() {
    return threads;
  }

  /** Number of items (samples × views) one epoch visits before batching. */
  public int itemsPerEpoch() {
    return dataset.size() * clips * crops;
  }

  /** Number of batches one epoch yields. */
  public int batchesPerEpoch() {
    int items = itemsPerEpoch();
    return remainder == Remainder.DROP ? items / batchSize : (items + batchSize - 1) / batchSize;
  }

  /** Samples skipped as bad, over all epochs so far. */
  public long skipped() {
    return skipped.get();
  }

  /**
   * Every distinct sample found bad so far, over all epochs, each once ({@code file[:line]: reason}), in the
   * order they were met. Only its first failure is logged at WARN; later epochs count it again quietly.
   */
  public List<String> badSamples() {
    synchronized (bad) {
      return List.copyOf(bad.values());
    }
  }

  /** Videos the dataset rejected when it was opened (bad list lines, unknown labels). */
  public List<BadSampleException> rejected() {
    return dataset.rejected();
  }

  /** The dataset indices epoch {@code epoch} visits, in order (before views are expanded). */
  public int[] order(int epoch) {
    int n = dataset.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (shuffle) {
      SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, epoch, 0x5407L));
      for (int i = n - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }

  /** Batches of epoch {@code epoch}, from the first. */
  public Epoch epoch(int epoch) {
    return epoch(epoch, 0);
  }

  /** Batches of epoch {@code epoch} from batch {@code startBatch} on (resume). */
  public Epoch epoch(int epoch, int startBatch) {
    if (closed) {
      throw new IllegalStateException("the loader is closed");
    }
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
    if (startBatch < 0 || startBatch > batchesPerEpoch()) {
      throw new IllegalArgumentException(
          "startBatch must be in [0, " + batchesPerEpoch() + "] (batches per epoch), got " + startBatch);
    }
    return new Epoch(epoch, startBatch);
  }

  /** Stops the workers (waits up to 10 s for running decodes); batches not yet taken are dropped. */
  @Override
  public void close() {
    closed = true;
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("loader threads still running 10 s after close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Sampling sampling(int epoch, int index, int view) {
    return training ? Sampling.train(Seeds.mix(seed, epoch, index)) : Sampling.eval(view / crops, clips, view % crops, crops);
  }

  /**
   * The batches of one epoch, in order. Not thread-safe: one consumer. Close it to drop batches loaded
   * ahead (e.g. when stopping mid-epoch).
   */
  public final class Epoch implements Iterator<ClipBatch>, AutoCloseable {
    private final int epoch;
    private final int[] order;
    private final int items;
    private final int end;
    private final ArrayDeque<CompletableFuture<ClipBatch>> pending = new ArrayDeque<>();
    private final AtomicInteger skippedHere = new AtomicInteger();
    private final List<String> messages = Collections.synchronizedList(new ArrayList<>());
    private final int start;
    private int nextToSubmit;
    private int delivered;
    private int deliveredRows;
    private volatile boolean done;

    private Epoch(int epoch, int startBatch) {
      this.epoch = epoch;
      this.order = order(epoch);
      this.items = itemsPerEpoch();
      this.end = batchesPerEpoch();
      this.start = startBatch;
      this.nextToSubmit = startBatch;
      while (pending.size() < prefetch && nextToSubmit < end) {
        pending.add(submit(nextToSubmit++));
      }
    }

    public int epoch() {
      return epoch;
    }

    @Override
    public boolean hasNext() {
      return !done && !pending.isEmpty();
    }

    @Override
    public ClipBatch next() {
      if (!hasNext()) {
        throw new NoSuchElementException("epoch " + epoch + " has no more batches");
      }
      CompletableFuture<ClipBatch> head = pending.poll();
      if (nextToSubmit < end) {
        pending.add(submit(nextToSubmit++));
      }
      ClipBatch batch;
      try {
        batch = head.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IllegalStateException("interrupted while waiting for a batch of epoch " + epoch, e);
      } catch (ExecutionException | CancellationException e) {
        close();
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        throw new IllegalStateException("loading epoch " + epoch + " failed: " + cause.getMessage(), cause);
      }
      delivered++;
      deliveredRows += batch.size();
      if (pending.isEmpty()) {
        String report = report();
        if (skippedHere.get() > 0 || !dataset.rejected().isEmpty()) {
          LOG.warn(report);
        } else {
          LOG.info(report);
        }
      }
      return batch;
    }

    /** Samples of this epoch skipped as bad so far. */
    public int skipped() {
      return skippedHere.get();
    }

    /** The messages ({@code file[:line]: reason}) of the samples skipped so far in this epoch. */
    public List<String> skippedMessages() {
      synchronized (messages) {
        return List.copyOf(messages);
      }
    }

    /**
     * One line for the end of the epoch, e.g. {@code epoch 3: 64 batches, 1024 clips, 1 skipped
     * (frames/v7/00003.jpg: corrupt JPEG ...), 2 rejected at open (train.txt:17: ...)}.
     */
    public String report() {
      StringBuilder b = new StringBuilder();
      b.append("epoch ").append(epoch).append(": ").append(delivered).append(" batches");
      if (start > 0) {
        b.append(" (resumed at batch ").append(start).append(')');
      }
      b.append(", ").append(deliveredRows).append(" clips, ").append(skippedHere.get()).append(" skipped");
      List<String> shown = skippedMessages();
      if (!shown.isEmpty()) {
        b.append(" (").append(String.join("; ", shown.subList(0, Math.min(REPORTED_MESSAGES, shown.size()))));
        b.append(shown.size() > REPORTED_MESSAGES ? "; ... see log)" : ")");
      }
      List<BadSampleException> rejected = dataset.rejected();
      if (!rejected.isEmpty()) {
        b.append(", ").append(rejected.size()).append(" rejected at open (");
        for (int i = 0; i < Math.min(REPORTED_MESSAGES, rejected.size()); i++) {
          b.append(i > 0 ? "; " : "").append(rejected.get(i).getMessage());
        }
        b.append(rejected.size() > REPORTED_MESSAGES ? "; ... see log)" : ")");
      }
      return b.toString();
    }

    /** Drops batches loaded ahead; the loader stays open for other epochs. */
    @Override
    public void close() {
      done = true;
      for (CompletableFuture<ClipBatch> f : pending) {
        f.cancel(false);
      }
      pending.clear();
    }

    private CompletableFuture<ClipBatch> submit(int b) {
      int first = b * batchSize;
      int real = Math.min(batchSize, items - first);
      int rows = remainder == Remainder.PAD ? batchSize : real;
      int len = dataset.frames() * dataset.height() * dataset.width() * Clip.CHANNELS;
      float[] data = new float[rows * len];
      int[] labels = new int[rows];
      int[] indices = new int[rows];
      int[] views = new int[rows];
      boolean[] valid = new boolean[rows];
      String[] ids = new String[rows];
      CompletableFuture<?>[] slots = new CompletableFuture<?>[real];
      for (int j = 0; j < real; j++) {
        int slot = j;
        slots[j] = CompletableFuture.runAsync(
            () -> fill(b, first + slot, slot, len, data, labels, indices, views, valid, ids), workers);
      }
      return CompletableFuture.allOf(slots).thenApply(ignored -> {
        for (int j = real; j < rows; j++) {
          System.arraycopy(data, 0, data, j * len, len);
          labels[j] = labels[0];
          indices[j] = indices[0];
          views[j] = views[0];
          ids[j] = ids[0];
        }
        return new ClipBatch(data, dataset.frames(), dataset.height(), dataset.width(), labels, indices, views, valid,
            ids, epoch, b);
      });
    }

    // Loads plan position `item` into row `slot`, or a substitute if it is bad.
    private void fill(int b, int item, int slot, int len, float[] data, int[] labels, int[] indices, int[] views,
        boolean[] valid, String[] ids) {
      if (closed || done) {
        return;
      }
      BadSampleException first = null;
      for (int k = 0; k <= MAX_SUBSTITUTES && k < items; k++) {
        int position = (item + k) % items;
        int perVideo = clips * crops;
        int index = order[position / perVideo];
        int view = position % perVideo;
        try {
          Clip clip = dataset.load(index, sampling(epoch, index, view));
          if (clip.frames() != dataset.frames() || clip.height() != dataset.height() || clip.width() != dataset.width()) {
            throw new IllegalStateException(dataset.describe(index) + " loaded as " + clip.frames() + "x" + clip.height()
                + "x" + clip.width() + ", the dataset promises " + dataset.frames() + "x" + dataset.height() + "x"
                + dataset.width());
          }
          System.arraycopy(clip.data(), 0, data, slot * len, len);
          labels[slot] = clip.label();
          indices[slot] = index;
          views[slot] = view;
          ids[slot] = clip.id();
          valid[slot] = k == 0;
          return;
        } catch (BadSampleException e) {
          if (closed || done) {
            return;
          }
          if (k == 0) {
            first = e;
            skippedHere.incrementAndGet();
            skipped.incrementAndGet();
            messages.add(e.getMessage());
            if (bad.putIfAbsent(index, e.getMessage()) == null) {
              LOG.warn("epoch {} batch {}: skipping sample {}: {}", epoch, b, index, e.getMessage());
            } else {
              LOG.debug("epoch {} batch {}: skipping sample {} again: {}", epoch, b, index, e.getMessage());
            }
          } else {
            LOG.debug("substitute sample {} is bad too: {}", index, e.getMessage());
          }
        }
      }
      throw new IllegalStateException("no loadable sample among " + Math.min(items, MAX_SUBSTITUTES + 1)
          + " consecutive ones starting at " + first.getMessage() + " — is the dataset path right?");
    }
  }

  /** Settings of a {@link ClipLoader}. */
  public static final class Builder {
    private final VideoDataset dataset;
    private int batchSize = 8;
    private int threads = 2;
    private int prefetch;
    private boolean training = true;
    private Boolean shuffle;
    private long seed;
    private Remainder remainder;
    private int clips = 1;
    private int crops = 1;

    private Builder(VideoDataset dataset) {
      this.dataset = Objects.requireNonNull(dataset, "dataset");
    }

    /** N, clips per batch (default 8). */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** Decoding threads (default 2). */
    public Builder threads(int threads) {
      if (threads < 1 || threads > 256) {
        throw new IllegalArgumentException("threads must be in [1, 256], got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** Batches loaded ahead of the one in use (default 2 × threads). */
    public Builder prefetch(int prefetch) {
      if (prefetch < 1) {
        throw new IllegalArgumentException("prefetch must be >= 1 batch, got " + prefetch);
      }
      this.prefetch = prefetch;
      return this;
    }

    /**
     * Training (default: random augmentation seeded per sample and epoch, shuffled, last partial batch
     * dropped) or evaluation (deterministic views, dataset order, last batch padded).
     */
    public Builder training(boolean training) {
      this.training = training;
      return this;
    }

    /** Overrides the shuffling implied by {@link #training(boolean)}. */
    public Builder shuffle(boolean shuffle) {
      this.shuffle = shuffle;
      return this;
    }

    /** Seed of the epoch orders and training augmentation (default 0). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Overrides what happens to the last incomplete batch. */
    public Builder remainder(Remainder remainder) {
      this.remainder = Objects.requireNonNull(remainder, "remainder");
      return this;
    }

    /**
     * Evaluation views per video: {@code clips} temporal clips × {@code crops} spatial crops
     * (default 1 × 1); the views of one video are consecutive rows (see {@link ClipBatch#view(int)}).
     */
    public Builder views(int clips, int crops) {
      if (clips < 1 || crops < 1) {
        throw new IllegalArgumentException("clips and crops must be >= 1, got " + clips + " and " + crops);
      }
      this.clips = clips;
      this.crops = crops;
      return this;
    }

    public ClipLoader build() {
      if (training && (clips > 1 || crops > 1)) {
        throw new IllegalArgumentException(
            "views(" + clips + ", " + crops + ") are for evaluation; call training(false)");
      }
      if (dataset.size() == 0) {
        throw new IllegalArgumentException("the dataset is empty (0 videos"
            + (dataset.rejected().isEmpty() ? ")" : ", " + dataset.rejected().size() + " rejected: "
                + dataset.rejected().get(0).getMessage() + ")"));
      }
      long items = (long) dataset.size() * clips * crops;
      boolean drop = remainder == Remainder.DROP || (remainder == null && training);
      if (drop && items < batchSize) {
        throw new IllegalArgumentException("the dataset has " + items + " clips, fewer than batchSize " + batchSize
            + ": every batch would be dropped (use a smaller batch or remainder(KEEP/PAD))");
      }
      return new ClipLoader(this);
    }
  }
}
